package io.netserve.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The payload table: streams and datagrams that a reordered, shifted or mixed-up echo does not pass. */
class PayloadsTest {

    private final Payloads payloads = new Payloads(PooledByteBufAllocator.DEFAULT);
    private final Payloads.Checker checker = payloads.checker();

    @AfterEach
    void release() {
        payloads.release();
    }

    @Test
    void aStreamMatchesItselfAcrossThePeriodAndChunks() {
        ByteBuf stream = stream(3, 0, 3 * Payloads.MAX_CHUNK + 17);
        try {
            assertThat(checker.checkStream(stream, 0, stream.readableBytes(), 3, 0)).isEqualTo(-1);
            assertThat(checker.checkStream(stream, 1000, 5000, 3, 1000)).isEqualTo(-1);
        } finally {
            stream.release();
        }
    }

    @Test
    void theTableRepeatsItsPeriodToItsLastByte() {
        for (int i = Payloads.PERIOD; i < Payloads.PERIOD + Payloads.MAX_CHUNK; i++) {
            assertThat(payloads.at(i)).as("table byte %d", i).isEqualTo(payloads.at(i - Payloads.PERIOD));
        }
    }

    @Test
    void aWholeChunkCheckedFromTheEndOfThePeriodMatches() {
        // Stream offsets near the end of the period make the checker read the table's last bytes.
        int conn = 0;
        long from = Payloads.PERIOD - 1 - Payloads.streamOffset(conn, 0);
        ByteBuf stream = stream(conn, from, Payloads.MAX_CHUNK);
        try {
            assertThat(Payloads.streamOffset(conn, from)).isEqualTo(Payloads.PERIOD - 1);
            assertThat(checker.checkStream(stream, 0, Payloads.MAX_CHUNK, conn, from)).isEqualTo(-1);
        } finally {
            stream.release();
        }
    }

    @Test
    void swappedMessagesAreFoundAtTheFirstWrongByte() {
        int size = 64;
        ByteBuf stream = stream(1, 0, 4 * size);
        ByteBuf swapped = Unpooled.directBuffer(4 * size);
        try {
            swapped.writeBytes(stream, 0, size).writeBytes(stream, 2 * size, size)
                    .writeBytes(stream, size, size).writeBytes(stream, 3 * size, size);
            long at = checker.checkStream(swapped, 0, swapped.readableBytes(), 1, 0);
            assertThat(at).isBetween((long) size, 2L * size - 1);
        } finally {
            stream.release();
            swapped.release();
        }
    }

    @Test
    void anotherConnectionsStreamOrAShiftedOneDoesNotMatch() {
        ByteBuf stream = stream(1, 0, 256);
        try {
            assertThat(checker.checkStream(stream, 0, 256, 2, 0)).isNotEqualTo(-1);
            assertThat(checker.checkStream(stream, 0, 256, 1, 64)).isNotEqualTo(-1);
        } finally {
            stream.release();
        }
    }

    @Test
    void datagramPayloadsDependOnSocketAndSequence() {
        assertThat(Payloads.datagramOffset(0, 1)).isNotEqualTo(Payloads.datagramOffset(0, 2));
        assertThat(Payloads.datagramOffset(0, 1)).isNotEqualTo(Payloads.datagramOffset(1, 1));
        ByteBuf d = PooledByteBufAllocator.DEFAULT.directBuffer(48);
        try {
            payloads.copy(Payloads.datagramOffset(5, 9), 48, d);
            assertThat(checker.matches(d, 0, Payloads.datagramOffset(5, 9), 48)).isTrue();
            assertThat(checker.matches(d, 0, Payloads.datagramOffset(5, 10), 48)).isFalse();
        } finally {
            d.release();
        }
    }

    private ByteBuf stream(int conn, long from, int length) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        for (long p = from; p < from + length; p++) {
            out.writeByte(payloads.at(Payloads.streamOffset(conn, p)));
        }
        return out;
    }
}
