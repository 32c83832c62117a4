package io.netserve.samples.client;

import io.netserve.cli.Converters;
import io.netty.util.NetUtil;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The options every sample client shares, as a picocli mixin: where to connect ({@code --host},
 * {@code --port}, IPv4 or IPv6) and how long to wait ({@code --timeout}, for the connection and
 * for each reply); and the connecting itself, with one-line errors.
 *
 * <pre>{@code
 * @Mixin ClientOptions connection;
 * ...
 * try (Socket socket = connection.connect()) { ... }
 * }</pre>
 */
public final class ClientOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Server to connect to: a name, an IPv4 or an IPv6 literal (::1). Default: ${DEFAULT-VALUE}.")
    String host;

    private int port;

    private Duration timeout;

    @Option(names = "--port", paramLabel = "N", defaultValue = "65432",
            description = "Server port, 1 to 65535. Default: ${DEFAULT-VALUE}.")
    void port(int port) {
        if (port < 1 || port > 65_535) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--port': port must be between 1 and 65535, was " + port);
        }
        this.port = port;
    }

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = Converters.DurationConverter.class,
            description = "Longest wait for the connection and for each reply (250ms, 5s, 1m); 0 waits forever. "
                    + "Default: ${DEFAULT-VALUE}.")
    void timeout(Duration timeout) {
        if (timeout.toMillis() > Integer.MAX_VALUE) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--timeout': at most " + Integer.MAX_VALUE + "ms, was " + timeout);
        }
        this.timeout = timeout;
    }

    /** The server's address, resolved. */
    public InetSocketAddress address() throws ClientException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetSocketAddress address = new InetSocketAddress(name, port);
        if (address.isUnresolved()) {
            throw new ClientException("cannot resolve host '" + host + "': unknown host");
        }
        return address;
    }

    /** The wait for the connection and for each reply; zero waits forever. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * A socket connected to the server within the timeout, whose reads time out after it too.
     *
     * @throws ClientException if the host is unknown, or the connection is refused or times out
     */
    public Socket connect() throws ClientException {
        InetSocketAddress address = address();
        int millis = (int) timeout.toMillis();
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, millis);
            socket.setSoTimeout(millis);
            return socket;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing more to say than the connect failure.
            }
            throw new ClientException("cannot connect to " + NetUtil.toSocketAddressString(address) + ": " + reason(e));
        }
    }

    private String reason(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A failure to hear back from {@code socket}'s peer in time, or at all. */
    public ClientException noReply(Socket socket, IOException cause) {
        String peer = peer(socket);
        if (cause instanceof SocketTimeoutException) {
            return new ClientException("no reply from " + peer + " within " + timeout.toMillis() + " ms");
        }
        return new ClientException("connection to " + peer + " failed: "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }

    /** The server at the other end of {@code socket}, as {@code host:port}. */
    public static String peer(Socket socket) {
        return NetUtil.toSocketAddressString((InetSocketAddress) socket.getRemoteSocketAddress());
    }
}
