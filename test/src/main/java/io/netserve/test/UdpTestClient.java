package io.netserve.test;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A small blocking UDP client for tests, the {@code sendto}/{@code recvfrom} counterpart of
 * {@link TestClient}: send datagrams to a server, receive replies whole, and check that nothing
 * (more) arrives. A reply that does not come in time fails the test with an {@link AssertionError};
 * other I/O errors are thrown as {@link UncheckedIOException}.
 *
 * <pre>{@code
 * try (UdpTestClient client = UdpTestClient.bind("127.0.0.1")) {
 *     assertThat(client.exchange("hello", server.localAddress())).isEqualTo("hello");
 *     client.assertSilent(Duration.ofMillis(300));
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class UdpTestClient implements AutoCloseable {

    /** How long {@link #receive()} waits for a datagram: generous for a busy machine. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final int MAX_DATAGRAM = 65_536;

    private final DatagramSocket socket;
    private final byte[] buffer = new byte[MAX_DATAGRAM];

    private UdpTestClient(DatagramSocket socket) throws SocketException {
        this.socket = socket;
        socket.setSoTimeout(Math.toIntExact(DEFAULT_TIMEOUT.toMillis()));
    }

    /**
     * A client on an OS-chosen port of {@code host}; skips the test (a JUnit assumption) when this
     * host cannot bind that address, such as {@code ::1} without IPv6 or {@code 127.0.0.2} off Linux.
     */
    public static UdpTestClient bind(String host) {
        try {
            return new UdpTestClient(new DatagramSocket(new InetSocketAddress(host, 0)));
        } catch (BindException e) {
            Assumptions.abort("cannot bind a UDP client to " + host + ": " + e.getMessage());
            throw new AssertionError(e); // not reached
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot open a UDP client on " + host + ": " + e.getMessage(), e);
        }
    }

    /**
     * A client on 127.0.0.1 with a source port below 1024, the kind a reflection guard drops;
     * skips the test when binding one needs privileges (root or CAP_NET_BIND_SERVICE) this process
     * does not have.
     */
    public static UdpTestClient bindPrivilegedPort() {
        for (int port = 1023; port >= 600; port--) {
            try {
                return new UdpTestClient(new DatagramSocket(new InetSocketAddress("127.0.0.1", port)));
            } catch (BindException e) {
                if (String.valueOf(e.getMessage()).contains("Permission denied")) {
                    Assumptions.abort("binding a source port below 1024 needs root or CAP_NET_BIND_SERVICE"
                            + " (running as " + System.getProperty("user.name") + "): " + e.getMessage());
                }
            } catch (SocketException e) {
                throw new UncheckedIOException("cannot open a UDP client: " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no free UDP port between 600 and 1023 on 127.0.0.1");
    }

    /** Whether a UDP socket can be bound on {@code host} here, for assumptions such as IPv6. */
    public static boolean canBind(String host) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0))) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /** The local port, for tests that need a port held by someone else. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** The socket itself, for tests that count timeouts or tune it. */
    public DatagramSocket socket() {
        return socket;
    }

    /** Sends {@code payload} as one datagram to {@code to}. */
    public UdpTestClient send(byte[] payload, InetSocketAddress to) {
        Objects.requireNonNull(to, "to");
        try {
            socket.send(new DatagramPacket(payload, payload.length, to));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * Receives the next datagram; its data array holds exactly the datagram's bytes, and its
     * socket address is the sender's.
     *
     * @throws AssertionError if none arrives within the {@link #DEFAULT_TIMEOUT}
     */
    public DatagramPacket receive() {
        try {
            return receiveOrTimeOut();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no datagram on " + socket.getLocalSocketAddress() + " within " + DEFAULT_TIMEOUT);
        }
    }

    /** Sends {@code text} as one UTF-8 datagram to {@code to} and returns the next datagram, decoded. */
    public String exchange(String text, InetSocketAddress to) {
        send(text.getBytes(StandardCharsets.UTF_8), to);
        return new String(receive().getData(), StandardCharsets.UTF_8);
    }

    /**
     * Asserts that no datagram arrives within {@code quiet}.
     *
     * @throws AssertionError saying how many datagrams did arrive
     */
    public void assertSilent(Duration quiet) {
        int unexpected = countUntilSilent(quiet);
        if (unexpected > 0) {
            throw new AssertionError(unexpected + " unexpected datagram(s) on " + socket.getLocalSocketAddress());
        }
    }

    /** Receives until nothing arrives for {@code quiet}; returns how many datagrams came. */
    public int countUntilSilent(Duration quiet) {
        int count = 0;
        try {
            socket.setSoTimeout(Math.toIntExact(Math.max(1, quiet.toMillis())));
            while (true) {
                receiveOrTimeOut();
                count++;
            }
        } catch (SocketTimeoutException e) {
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot receive on " + socket.getLocalSocketAddress() + ": " + e.getMessage(), e);
        } finally {
            try {
                socket.setSoTimeout(Math.toIntExact(DEFAULT_TIMEOUT.toMillis()));
            } catch (SocketException ignored) {
                // closed meanwhile: nothing left to restore
            }
        }
    }

    private DatagramPacket receiveOrTimeOut() throws SocketTimeoutException {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot receive on " + socket.getLocalSocketAddress() + ": " + e.getMessage(), e);
        }
        return new DatagramPacket(Arrays.copyOf(buffer, packet.getLength()), packet.getLength(), packet.getSocketAddress());
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "UdpTestClient{" + socket.getLocalSocketAddress() + "}";
    }
}
