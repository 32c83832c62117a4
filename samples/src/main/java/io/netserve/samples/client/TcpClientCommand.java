package io.netserve.samples.client;

import io.netserve.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code tcp-client}: a line client for any line-based server (the echo server, upper-server,
 * chat-server). It connects, sends each line of standard input or each {@code --message}, waits for
 * one reply line to each and prints it. Exit status 0 when every line was answered; 1, with one line
 * on standard error, when the connection is refused, a reply does not come within
 * {@code --timeout}, or the server closes first; 2 for a bad command line.
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
        try {
            Socket socket = connection.connect();
            try (socket) {
                talk(socket);
            }
            return 0;
        } catch (ClientException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            err.flush();
            return 1;
        } catch (IOException e) {
            // Only closing the socket throws this far: every line was answered.
            return 0;
        }
    }

    private void talk(Socket socket) throws ClientException {
        PrintWriter out = spec.commandLine().getOut();
        OutputStream toServer;
        InputStream fromServer;
        try {
            toServer = socket.getOutputStream();
            fromServer = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw connection.noReply(socket, e);
        }
        try (Stream<String> lines = lines()) {
            for (String line : (Iterable<String>) lines::iterator) {
                try {
                    toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    toServer.flush();
                } catch (IOException e) {
                    throw connection.noReply(socket, e);
                }
                out.println(readReply(socket, fromServer));
                out.flush();
            }
        } catch (UncheckedIOException e) {
            throw new ClientException("cannot read standard input: " + e.getCause().getMessage());
        }
    }

    private Stream<String> lines() {
        if (messages != null && !messages.isEmpty()) {
            return messages.stream();
        }
        // Not closed: standard input belongs to the process.
        return new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).lines();
    }

    private String readReply(Socket socket, InputStream in) throws ClientException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new ClientException("connection closed by " + ClientOptions.peer(socket)
                            + (line.size() == 0 ? " before its reply" : " in the middle of its reply"));
                }
                if (line.size() == MAX_REPLY) {
                    throw new ClientException("reply from " + ClientOptions.peer(socket) + " longer than "
                            + MAX_REPLY + " bytes without a line end");
                }
                line.write(b);
            }
        } catch (IOException e) {
            throw connection.noReply(socket, e);
        }
        String reply = line.toString(StandardCharsets.UTF_8);
        return reply.endsWith("\r") ? reply.substring(0, reply.length() - 1) : reply;
    }
}
