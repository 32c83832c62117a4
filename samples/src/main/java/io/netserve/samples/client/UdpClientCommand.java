package io.netserve.samples.client;

import io.netserve.cli.VersionProvider;
import io.netserve.core.udp.UdpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.NetUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * {@code udp-client}: a datagram client for any UDP server that answers each datagram once (the UDP
 * echo server, udp-counter-server). It sends each line of standard input or each {@code --message}
 * as one datagram, waits up to {@code --timeout} for a reply, sends again up to {@code --retries}
 * times, and prints each reply; a datagram still unanswered is reported as lost on standard error.
 * Exit status 0 when every datagram was answered; 1 when any reply was lost (or the host is
 * unknown); 2 for a bad command line.
 *
 * <p>Built on core's {@link UdpClient}: stop and wait, one datagram outstanding at a time, and the
 * next datagram from the server's address is taken as its reply (a late reply to an earlier try
 * can stand in for it); datagrams from any other address are ignored. The socket is not
 * connected, so that an empty datagram is sent on every transport.
 */
@Command(name = "udp-client", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Sends each line of standard input (or each --message) as one UDP datagram, and prints the "
                + "reply to each, sending again up to --retries times when none comes within --timeout.",
                "Exit status: 0 every datagram answered; 1 a reply lost or an unknown host; 2 bad command line."})
public final class UdpClientCommand implements Callable<Integer> {

    private static final int MAX_DATAGRAM = 65_507;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions server;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT",
            description = "Send TEXT as one datagram instead of reading standard input; repeat for more.")
    List<String> messages;

    private int retries;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "2",
            description = "Times to send a datagram again when its reply does not come, 0 to 100. "
                    + "Default: ${DEFAULT-VALUE}.")
    void retries(int retries) {
        if (retries < 0 || retries > 100) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--retries': must be between 0 and 100, was " + retries);
        }
        this.retries = retries;
    }

    private final InputStream stdin;

    /** A client that reads its datagrams from {@code System.in} when no {@code --message} is given. */
    public UdpClientCommand() {
        this(System.in);
    }

    /** A client that reads its datagrams from {@code stdin} when no {@code --message} is given. */
    public UdpClientCommand(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int sent = 0;
        int lost = 0;
        try (UdpClient client = UdpClient.bind(server.config().retries(retries).build()); Stream<String> lines = lines()) {
            String address = NetUtil.toSocketAddressString(client.remoteAddress());
            for (String line : (Iterable<String>) lines::iterator) {
                sent++;
                byte[] datagram = line.getBytes(StandardCharsets.UTF_8);
                if (datagram.length > MAX_DATAGRAM) {
                    return fail(err, "cannot send: a datagram of " + datagram.length + " bytes is over the UDP limit of "
                            + MAX_DATAGRAM);
                }
                try {
                    ByteBuf reply = client.request(Unpooled.wrappedBuffer(datagram));
                    try {
                        out.println(reply.toString(StandardCharsets.UTF_8));
                    } finally {
                        reply.release();
                    }
                    out.flush();
                } catch (TimeoutException e) {
                    lost++;
                    err.println(spec.qualifiedName() + ": no reply from " + address + " to datagram " + sent + " after "
                            + (retries + 1) + " tries of " + server.timeout().toMillis() + " ms");
                    err.flush();
                }
            }
        } catch (IOException e) {
            return fail(err, e.getMessage());
        } catch (UncheckedIOException e) {
            return fail(err, "cannot read standard input: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, "interrupted");
        }
        if (lost > 0) {
            return fail(err, "lost " + lost + " of " + sent + " replies");
        }
        return 0;
    }

    private int fail(PrintWriter err, String message) {
        err.println(spec.qualifiedName() + ": " + message);
        err.flush();
        return 1;
    }

    private Stream<String> lines() {
        if (messages != null && !messages.isEmpty()) {
            return messages.stream();
        }
        // Closing this stream leaves standard input, which belongs to the process, open.
        return new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).lines();
    }
}
