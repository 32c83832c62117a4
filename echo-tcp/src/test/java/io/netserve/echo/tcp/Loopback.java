package io.netserve.echo.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Blocking java.net clients for the end-to-end tests: every socket has a timeout. */
final class Loopback {

    static final int SO_TIMEOUT_MILLIS = 30_000;
    private static final int CHUNK = 64 * 1024;

    private Loopback() {
    }

    /** A connected socket with a read timeout, so no test can hang on a read. */
    static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        try {
            s.setSoTimeout(SO_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            s.connect(address, 10_000);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** {@code n} pseudo-random bytes, the same for the same seed. */
    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    /** Writes {@code data} and reads back as many bytes, asserting they are the same. */
    static void assertEchoes(Socket s, byte[] data) throws IOException {
        s.getOutputStream().write(data);
        s.getOutputStream().flush();
        assertThat(readExactly(s.getInputStream(), data.length)).isEqualTo(data);
    }

    /** Exactly {@code n} bytes, failing on an early end of stream. */
    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            fail("end of stream after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    /** Writes {@code data} in 64 KiB chunks, adding each chunk's size to {@code progress} once written. */
    static void writeChunked(OutputStream out, byte[] data, int from, int to, AtomicLong progress)
            throws IOException {
        for (int off = from; off < to; off += CHUNK) {
            int len = Math.min(CHUNK, to - off);
            out.write(data, off, len);
            if (progress != null) {
                progress.addAndGet(len);
            }
        }
        out.flush();
    }

    /**
     * Reads {@code expected.length} bytes in chunks and compares each chunk as it arrives, naming
     * the first offset that differs; adds to {@code progress} as it goes.
     */
    static void readAndVerify(InputStream in, byte[] expected, AtomicLong progress)
            throws IOException {
        byte[] buf = new byte[CHUNK];
        int off = 0;
        while (off < expected.length) {
            int n = in.read(buf, 0, Math.min(buf.length, expected.length - off));
            if (n < 0) {
                fail("end of stream after " + off + " of " + expected.length + " bytes");
            }
            int mismatch = Arrays.mismatch(buf, 0, n, expected, off, off + n);
            if (mismatch >= 0) {
                fail("byte " + (off + mismatch) + " differs: expected " + expected[off + mismatch]
                        + " but was " + buf[mismatch]);
            }
            off += n;
            if (progress != null) {
                progress.addAndGet(n);
            }
        }
    }

    /**
     * Asserts the peer closed {@code s}: its next read returns end of stream or fails with a reset
     * within the socket's timeout, rather than returning data or timing out.
     */
    static void assertClosedByPeer(Socket s) throws IOException {
        try {
            int b = s.getInputStream().read();
            if (b >= 0) {
                fail("expected the connection to be closed, but read byte " + b);
            }
        } catch (SocketTimeoutException e) {
            fail("connection still open after " + s.getSoTimeout() + " ms");
        } catch (SocketException e) {
            // reset by the peer: closed too
        }
    }

    /** A client step that may throw, for running on another thread. */
    @FunctionalInterface
    interface IoAction {
        void run() throws Exception;
    }

    /** {@code action} as a task for an executor; its failure surfaces from {@code Future.get}. */
    static Callable<Void> call(IoAction action) {
        return () -> {
            action.run();
            return null;
        };
    }

    /** Whether a listening socket can be bound on ::1 here. */
    static boolean ipv6LoopbackAvailable() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return probe.getLocalPort() > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
