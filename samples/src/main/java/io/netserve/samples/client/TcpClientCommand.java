package io.netserve.samples.client;

import io.netserve.cli.VersionProvider;
import io.netserve.core.Protocol;
import io.netserve.core.tcp.RequestClient;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.util.NetUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * {@code tcp-client}: a line client for any line-based server (the echo server, upper-server,
 * chat-server). It connects, sends each line of standard input or each {@code --message}, waits for
 * one reply line to each and prints it. Exit status 0 when every line was answered; 1, with one line
 * on standard error, when the connection is refused, a reply does not come within
 * {@code --timeout}, or the server closes first; 2 for a bad command line.
 *
 * <p>Built on core's {@link RequestClient}: lines are the requests and the replies. A line the
 * server sends while nothing is asked (a chat notice) is held and taken as the reply to the next
 * line sent, as a reader of the stream would see it.
 */
@Command(name = "tcp-client", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Connects to a line-based TCP server, sends each line of standard input (or each --message), "
                + "and prints the one reply line it waits for after each.",
                "Exit status: 0 every line answered; 1 refused, timed out or closed by the server; 2 bad command line."})
public final class TcpClientCommand implements Callable<Integer> {

    private static final int MAX_REPLY = 1 << 20;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions connection;

    @Mixin
    TlsClientOptions tls;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT",
            description = "Send TEXT as one line instead of reading standard input; repeat for more lines.")
    List<String> messages;

    private final InputStream stdin;

    /** A client that reads its lines from {@code System.in} when no {@code --message} is given. */
    public TcpClientCommand() {
        this(System.in);
    }

    /** A client that reads its lines from {@code stdin} when no {@code --message} is given. */
    public TcpClientCommand(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Protocol lines = pipeline -> pipeline.addLast(new LineBasedFrameDecoder(MAX_REPLY, true, true),
                new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8), new HoldUnasked());
        try (RequestClient<String, String> client = RequestClient.connect(tls.applyTo(connection.config()).build(),
                lines, String.class); Stream<String> input = lines()) {
            for (String line : (Iterable<String>) input::iterator) {
                out.println(reply(client, line));
                out.flush();
            }
            return 0;
        } catch (IOException | TimeoutException e) {
            return fail(e.getMessage());
        } catch (UncheckedIOException e) {
            return fail("cannot read standard input: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    private String reply(RequestClient<String, String> client, String line)
            throws IOException, TimeoutException, InterruptedException {
        try {
            return client.send(line + "\n");
        } catch (IOException e) {
            if (e.getCause() instanceof TooLongFrameException) {
                throw new IOException("reply from " + NetUtil.toSocketAddressString(client.client().remoteAddress())
                        + " longer than " + MAX_REPLY + " bytes without a line end", e);
            }
            throw e;
        }
    }

    private int fail(String message) {
        PrintWriter err = spec.commandLine().getErr();
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

    /**
     * Holds the lines that come while no line is asked, and hands the first of them on as the
     * reply to the next line sent. At most {@value #MAX_HELD} are held: past that it stops
     * reading until the client asks again.
     */
    private static final class HoldUnasked extends ChannelDuplexHandler {
        private static final int MAX_HELD = 1024;
        private final ArrayDeque<String> held = new ArrayDeque<>();
        private int asked;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (asked > 0) {
                asked--;
                ctx.fireChannelRead(msg);
            } else {
                held.add((String) msg);
                ctx.channel().config().setAutoRead(held.size() < MAX_HELD);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg, promise);
            String reply = held.poll();
            if (reply == null) {
                asked++;
            } else {
                ctx.fireChannelRead(reply);
                ctx.channel().config().setAutoRead(true);
            }
        }
    }
}
