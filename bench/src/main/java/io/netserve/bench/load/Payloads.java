package io.netserve.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;

/**
 * The bytes the load generator sends, chosen so that every echoed byte can be checked and a
 * reordered, duplicated, shifted or mixed-up echo does not pass.
 *
 * <p>All payloads are windows into one pseudo-random table of {@value #PERIOD} bytes (a prime,
 * so no message size divides it), held in one direct buffer that is {@link #MAX_CHUNK} bytes
 * longer than the period so that any window up to that length is contiguous. A TCP connection's
 * stream is the table read from a start that depends on the connection; a datagram's payload is
 * the window that depends on its socket and sequence number. Sending is a retained slice of the
 * table and checking is a vectorised comparison ({@link Checker}): no copy and, with a pooled
 * table, no garbage.
 *
 * <p>Slicing and copying from several event loops is safe; each loop checks with its own
 * {@link #checker()}.
 */
final class Payloads {

    /** Length of the pattern before it repeats: the largest prime below 65,536. */
    static final int PERIOD = 65_521;

    /** Longest window taken in one piece, for sending or comparing. */
    static final int MAX_CHUNK = 65_536;

    private final ByteBuf table;

    Payloads(ByteBufAllocator allocator) {
        byte[] period = new byte[PERIOD];
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < PERIOD; i++) {
            x ^= x >>> 12;
            x ^= x << 25;
            x ^= x >>> 27;
            period[i] = (byte) ((x * 0x2545F4914F6CDD1DL) >>> 56);
        }
        // The tail repeats the start; MAX_CHUNK > PERIOD, so it takes more than one copy of the period.
        table = allocator.directBuffer(PERIOD + MAX_CHUNK);
        while (table.isWritable()) {
            table.writeBytes(period, 0, Math.min(PERIOD, table.writableBytes()));
        }
    }

    /** Where in the table byte {@code position} of connection {@code conn}'s stream is. */
    static int streamOffset(int conn, long position) {
        return (int) Math.floorMod(conn * 40_503L + 7_919L + position, (long) PERIOD);
    }

    /** Where in the table the payload of datagram {@code seq} of socket {@code conn} starts. */
    static int datagramOffset(int conn, long seq) {
        return (int) Math.floorMod(conn * 7_919L + seq * 40_503L, (long) PERIOD);
    }

    /** A retained view (never written to) of {@code length} (at most {@link #MAX_CHUNK}) table bytes from {@code offset}. */
    ByteBuf slice(int offset, int length) {
        return table.retainedSlice(offset, length);
    }

    /** The whole table as a direct buffer from index 0, for sending from a native socket; never written to. */
    ByteBuffer view() {
        return table.nioBuffer(0, table.capacity());
    }

    /** Appends {@code length} table bytes from {@code offset} to {@code out}. */
    void copy(int offset, int length, ByteBuf out) {
        out.writeBytes(table, offset, length);
    }

    /** The table byte at {@code offset}. */
    byte at(int offset) {
        return table.getByte(offset);
    }

    /** A checker of echoes against this table, for one event loop (it is not thread-safe). */
    Checker checker() {
        return new Checker(view());
    }

    /**
     * Compares received bytes with the table through {@link ByteBuffer#mismatch}, which the JDK
     * vectorises: checking must cost far less than the server's echo, also for bulk transfers.
     */
    static final class Checker {
        private final ByteBuffer view;

        private Checker(ByteBuffer view) {
            this.view = view;
        }

        /**
         * Checks {@code length} bytes of {@code in} from {@code index} against connection
         * {@code conn}'s stream from {@code position}.
         *
         * @return -1 when they all match, else the stream position of the first byte that does not
         */
        long checkStream(ByteBuf in, int index, int length, int conn, long position) {
            int done = 0;
            while (done < length) {
                int piece = Math.min(length - done, MAX_CHUNK);
                int at = mismatch(in, index + done, streamOffset(conn, position + done), piece);
                if (at >= 0) {
                    return position + done + at;
                }
                done += piece;
            }
            return -1;
        }

        /** Whether {@code length} (at most {@link #MAX_CHUNK}) bytes of {@code in} from {@code index} equal the table from {@code offset}. */
        boolean matches(ByteBuf in, int index, int offset, int length) {
            return mismatch(in, index, offset, length) < 0;
        }

        private int mismatch(ByteBuf in, int index, int offset, int length) {
            ByteBuffer received = in.nioBufferCount() == 1 ? in.internalNioBuffer(index, length) : in.nioBuffer(index, length);
            view.limit(offset + length).position(offset);
            return received.mismatch(view);
        }
    }

    /** Gives the table back to its allocator; call once, after every slice is released. */
    void release() {
        table.release();
    }
}
