package io.netserve.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP peer that misbehaves in one of the ways servers meet in production, as a value: describe
 * it, then {@link #play} it against a server, which connects and misbehaves on a thread of its own
 * while the test watches the server. In the spirit of OkHttp's {@code SocketEffect}.
 *
 * <pre>{@code
 * try (BadPeer.Peer peer = BadPeer.stopsReading().play(server.address())) {
 *     await().until(() -> server.metrics().stallClosed() == 1);
 *     assertThat(peer.awaitEnd(Duration.ofSeconds(10))).isInstanceOf(IOException.class);
 * }
 * }</pre>
 *
 * <p>Immutable; one value can be played any number of times.
 */
public final class BadPeer {

    /** More than the socket buffers of both ends hold, so a peer that never reads blocks in its writes. */
    public static final int MORE_THAN_SOCKET_BUFFERS = 32 << 20;

    private static final int SMALL_RECEIVE_BUFFER = 64 * 1024;
    private static final int CHUNK = 64 * 1024;

    private enum Kind { STOPS_READING, TRICKLES, RESETS, HALF_CLOSES }

    private final Kind kind;
    private final byte[] payload;
    private final int chunk;
    private final Duration pause;

    private BadPeer(Kind kind, byte[] payload, int chunk, Duration pause) {
        this.kind = kind;
        this.payload = payload;
        this.chunk = chunk;
        this.pause = pause;
    }

    /**
     * A peer that connects with a small receive window, writes {@link #MORE_THAN_SOCKET_BUFFERS}
     * bytes and never reads: whatever the server answers piles up on the server's side, so it turns
     * unwritable and its backpressure and write-stall timeout have something to do.
     */
    public static BadPeer stopsReading() {
        return stopsReading(MORE_THAN_SOCKET_BUFFERS);
    }

    /** As {@link #stopsReading()}, writing {@code bytes} bytes (and never reading). */
    public static BadPeer stopsReading(int bytes) {
        return new BadPeer(Kind.STOPS_READING, pattern(bytes), CHUNK, Duration.ZERO);
    }

    /**
     * A peer that writes {@code payload} {@code chunk} bytes at a time, pausing {@code pause} after
     * each (a slow client, or a slowloris), and reads everything the server sends meanwhile.
     */
    public static BadPeer trickles(byte[] payload, int chunk, Duration pause) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, was " + chunk);
        }
        return new BadPeer(Kind.TRICKLES, payload.clone(), chunk, Objects.requireNonNull(pause, "pause"));
    }

    /**
     * A peer that writes {@code payload}, reads nothing, and resets the connection (an RST, not an
     * orderly close) while the server may still owe it bytes.
     */
    public static BadPeer resetsAfter(byte[] payload) {
        return new BadPeer(Kind.RESETS, payload.clone(), CHUNK, Duration.ZERO);
    }

    /**
     * A peer that writes {@code payload}, shuts its output down (a half-close: the server reads end
     * of stream) and reads until the server closes.
     */
    public static BadPeer halfCloses(byte[] payload) {
        return new BadPeer(Kind.HALF_CLOSES, payload.clone(), CHUNK, Duration.ZERO);
    }

    /** {@code n} bytes of a fixed pattern that is not all one value, so a corruption shows. */
    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    /**
     * Connects to {@code server} on this thread (a refused connection fails at once) and plays
     * this peer on a daemon thread of its own.
     *
     * @throws UncheckedIOException if the connection cannot be made
     */
    public Peer play(InetSocketAddress server) {
        Socket socket = new Socket();
        try {
            if (kind == Kind.STOPS_READING) {
                socket.setReceiveBufferSize(SMALL_RECEIVE_BUFFER);
            }
            socket.setTcpNoDelay(true);
            socket.connect(server, Math.toIntExact(TestClient.DEFAULT_TIMEOUT.toMillis()));
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to clean up
            }
            throw new UncheckedIOException("cannot connect to " + server + ": " + e.getMessage(), e);
        }
        return new Peer(this, socket);
    }

    @Override
    public String toString() {
        return "BadPeer{" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", " + payload.length + " bytes}";
    }

    /** A bad peer being played: what it wrote and read, and how it ended. Close it when done. */
    public static final class Peer implements AutoCloseable {

        private final BadPeer peer;
        private final Socket socket;
        private final AtomicLong written = new AtomicLong();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final CountDownLatch ended = new CountDownLatch(1);
        private final Thread thread;

        private Peer(BadPeer peer, Socket socket) {
            this.peer = peer;
            this.socket = socket;
            this.thread = new Thread(this::run, "bad-peer-" + peer.kind.name().toLowerCase(java.util.Locale.ROOT));
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            Thread reader = null;
            try {
                OutputStream out = socket.getOutputStream();
                if (peer.kind == Kind.TRICKLES || peer.kind == Kind.HALF_CLOSES) {
                    reader = new Thread(this::readAll, thread.getName() + "-reader");
                    reader.setDaemon(true);
                    reader.start();
                }
                for (int off = 0; off < peer.payload.length; off += peer.chunk) {
                    int len = Math.min(peer.chunk, peer.payload.length - off);
                    out.write(peer.payload, off, len);
                    out.flush();
                    written.addAndGet(len);
                    if (!peer.pause.isZero()) {
                        LockSupport.parkNanos(peer.pause.toNanos()); // the misbehaviour itself: a slow writer
                    }
                }
                if (peer.kind == Kind.RESETS) {
                    socket.setSoLinger(true, 0);
                    socket.close();
                } else if (peer.kind == Kind.HALF_CLOSES) {
                    socket.shutdownOutput();
                }
                if (peer.kind == Kind.HALF_CLOSES) {
                    reader.join(); // until the server closes its side
                }
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ended.countDown();
            }
        }

        private void readAll() {
            byte[] buf = new byte[CHUNK];
            try {
                InputStream in = socket.getInputStream();
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (received) {
                        received.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            }
        }

        /** Bytes written so far. */
        public long written() {
            return written.get();
        }

        /** What the server sent back so far (peers that read: trickling and half-closing ones). */
        public byte[] received() {
            synchronized (received) {
                return received.toByteArray();
            }
        }

        /** The bytes this peer writes in all. */
        public byte[] payload() {
            return Arrays.copyOf(peer.payload, peer.payload.length);
        }

        /** Whether the peer has finished playing, or was stopped by an error. */
        public boolean isDone() {
            return ended.getCount() == 0;
        }

        /**
         * Waits for the peer to finish (to have written everything; a half-closing peer, also to
         * have read until the server closed) and returns the error that stopped it (typically an
         * {@link IOException} once the server closed the connection), or null if it played to the end.
         *
         * @throws AssertionError if it is still playing after {@code timeout}
         */
        public Throwable awaitEnd(Duration timeout) {
            try {
                if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError(peer + " still playing after " + timeout.toMillis() + " ms, "
                            + written() + " bytes written");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + peer, e);
            }
            return failure.get();
        }

        /** Closes the connection, which ends the play. Idempotent. */
        @Override
        public void close() {
            try {
                socket.close();
            } catch (SocketException e) {
                // already closed
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return peer + " on " + socket.getLocalSocketAddress() + ", " + written() + " bytes written";
        }
    }
}
