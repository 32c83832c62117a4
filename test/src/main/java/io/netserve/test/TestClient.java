package io.netserve.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A small blocking TCP client for tests: connect, send bytes or lines, read replies, and play the
 * bad peer (half-close, abort). Every connect and every read has a timeout, and a timeout fails the
 * test with an {@link AssertionError} that says what was awaited; other I/O errors are thrown as
 * {@link UncheckedIOException}.
 *
 * <pre>{@code
 * try (TestClient client = TestClient.connect(server.localAddress())) {
 *     client.sendLine("hello");
 *     assertThat(client.readLine()).isEqualTo("HELLO");
 * }
 * }</pre>
 *
 * <p>{@link ServerExtension#newClient()} hands out clients it closes itself. Not thread-safe.
 */
public final class TestClient implements AutoCloseable {

    /** The connect and read timeout of {@link #connect(InetSocketAddress)}: generous for a busy machine. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final int MAX_LINE = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Duration timeout;
    private final String peer;

    private TestClient(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.timeout = timeout;
        this.peer = String.valueOf(socket.getRemoteSocketAddress());
    }

    /** Connects to {@code address} with the {@link #DEFAULT_TIMEOUT}. */
    public static TestClient connect(InetSocketAddress address) {
        return connect(address, DEFAULT_TIMEOUT);
    }

    /**
     * Connects to {@code address}, waiting at most {@code timeout} for the connection and for each
     * read afterwards.
     *
     * @throws UncheckedIOException if the connection is refused or times out
     */
    public static TestClient connect(InetSocketAddress address, Duration timeout) {
        Objects.requireNonNull(address, "address");
        int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, millis);
            socket.setSoTimeout(millis);
            return new TestClient(socket, timeout);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }

    /** Sends {@code bytes} at once. */
    public TestClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send to " + peer + ": " + e.getMessage(), e);
        }
    }

    /** Sends {@code text} encoded as UTF-8. */
    public TestClient send(String text) {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code line} and a {@code \n}. */
    public TestClient sendLine(String line) {
        return send(line + "\n");
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @throws AssertionError if the peer closes first or they do not arrive in time
     */
    public byte[] readBytes(int n) {
        try {
            byte[] bytes = in.readNBytes(n);
            if (bytes.length < n) {
                throw new AssertionError("expected " + n + " bytes from " + peer + " but the connection closed after "
                        + bytes.length);
            }
            return bytes;
        } catch (SocketTimeoutException e) {
            throw timedOut(n + " bytes");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read from " + peer + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one line, decoded as UTF-8, without its {@code \n} or {@code \r\n}; null if the peer
     * closed the connection before sending any byte of it.
     *
     * @throws AssertionError if no complete line arrives in time, or the peer closes mid-line
     */
    public String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    if (line.size() == 0) {
                        return null;
                    }
                    throw new AssertionError("the connection to " + peer + " closed in the middle of a line: "
                            + line.toString(StandardCharsets.UTF_8));
                }
                if (line.size() >= MAX_LINE) {
                    throw new AssertionError("no line separator from " + peer + " within " + MAX_LINE + " bytes");
                }
                line.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw timedOut("a line (received so far: '" + line.toString(StandardCharsets.UTF_8) + "')");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read from " + peer + ": " + e.getMessage(), e);
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads {@code n} lines, as {@link #readLine()} each; fails if the connection closes first. */
    public List<String> readLines(int n) {
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String line = readLine();
            if (line == null) {
                throw new AssertionError("expected " + n + " lines from " + peer + " but the connection closed after "
                        + lines);
            }
            lines.add(line);
        }
        return lines;
    }

    /**
     * Reads until the peer closes the connection, and returns what came before the end (often
     * nothing). A reset counts as closed: a server that closes with bytes unread makes its kernel
     * send one.
     *
     * @throws AssertionError if the connection is still open after the timeout
     */
    public byte[] awaitClosed() {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                rest.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw timedOut("the connection to close");
        } catch (SocketException e) {
            // "Connection reset": closed by the peer, abruptly.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read from " + peer + ": " + e.getMessage(), e);
        }
        return rest.toByteArray();
    }

    /** Half-closes: shuts this side's output down (the peer reads end of stream), keeps reading. */
    public TestClient shutdownOutput() {
        try {
            socket.shutdownOutput();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes abruptly: the peer gets a reset instead of an orderly end of stream. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // Already closed: nothing to abort.
        }
        closeQuietly(socket);
    }

    /** The underlying socket, for what this class does not cover. */
    public Socket socket() {
        return socket;
    }

    /** Closes the connection in an orderly way. Idempotent. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private AssertionError timedOut(String what) {
        return new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + " from " + peer);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing useful to do in a test's cleanup.
        }
    }
}
