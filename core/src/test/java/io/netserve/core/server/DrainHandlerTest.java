package io.netserve.core.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DrainHandlerTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
    private final DrainHandler.Counts counts = new DrainHandler.Counts(1);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void idleConnectionClosesAtTheFirstLook() {
        DrainHandler.drain(channel, counts);
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(counts.idle).hasValue(1);
        assertThat(counts.finished).hasValue(0);
        assertThat(counts.firstLooks.getCount()).isZero();
    }

    @Test
    void closedConnectionIsCountedWithoutALook() {
        channel.close();

        DrainHandler.drain(channel, counts);
        channel.runPendingTasks();

        assertThat(counts.firstLooks.getCount()).isZero();
        assertThat(counts.idle).hasValue(0);
        assertThat(counts.finished).hasValue(0);
    }

    @Test
    void connectionOwingBytesClosesOnceItHasWrittenThem() {
        channel.write(Unpooled.wrappedBuffer(new byte[100]));

        DrainHandler.drain(channel, counts);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(counts.firstLooks.getCount()).as("first look done").isZero();

        recheck();
        assertThat(channel.isOpen()).as("still owes").isTrue();

        channel.flush();
        recheck();
        assertThat(channel.isOpen()).isFalse();
        assertThat(counts.finished).hasValue(1);
        assertThat(counts.idle).hasValue(0);
    }

    @Test
    void aReadSinceTheLastLookKeepsItForAnotherLook() {
        DrainHandler.drain(channel, counts);
        // As an I/O pass would, between the drain starting and its first look.
        channel.eventLoop().execute(() -> channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(new byte[10])));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("read before the first look").isTrue();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[10]));
        recheck();
        assertThat(channel.isOpen()).as("read since the last look").isTrue();

        recheck();
        assertThat(channel.isOpen()).as("quiet for a whole look").isFalse();
        assertThat(counts.finished).hasValue(1);
        assertThat(channel.inboundMessages()).hasSize(2);
    }

    @Test
    void aChangeOfWritabilitySinceTheLastLookKeepsItForAnotherLook() {
        // Backpressure turns reading back on when the channel becomes writable; what waits in the
        // socket is read on the next I/O pass, so a connection just drained of its output is not quiet yet.
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(16, 32));
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        assertThat(channel.isWritable()).isFalse();
        DrainHandler.drain(channel, counts);
        channel.runPendingTasks();

        channel.flush();
        assertThat(channel.isWritable()).isTrue();
        recheck();
        assertThat(channel.isOpen()).as("writability changed since the last look").isTrue();

        recheck();
        assertThat(channel.isOpen()).isFalse();
        assertThat(counts.finished).hasValue(1);
    }

    @Test
    void aConnectionClosedByItselfStopsTheLooks() {
        channel.write(Unpooled.wrappedBuffer(new byte[100]));
        DrainHandler.drain(channel, counts);
        channel.runPendingTasks();

        channel.close();
        recheck();
        recheck();

        assertThat(counts.finished).hasValue(0);
        assertThat(counts.idle).hasValue(0);
    }

    private void recheck() {
        ticker.advance(DrainHandler.RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
    }
}
