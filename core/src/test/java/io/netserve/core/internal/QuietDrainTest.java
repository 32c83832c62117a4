package io.netserve.core.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class QuietDrainTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final FlushHolder socket = new FlushHolder();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).handlers(socket).build();

    @AfterEach
    void tearDown() {
        socket.release = true;
        channel.finishAndReleaseAll();
    }

    @Test
    void idleChannelClosesAtTheFirstLook() {
        QuietDrain drain = QuietDrain.start(List.of(channel));
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(drain.closedAtOnce()).isEqualTo(1);
        assertThat(drain.finished()).isZero();
        assertFirstLooksDone(drain);
    }

    @Test
    void aConnectionAcceptedJustBeforeTheDrainGetsAQuietIntervalToSpeak() {
        QuietDrain.accepted(channel);
        ticker.advance(QuietDrain.QUIET_MILLIS / 2, TimeUnit.MILLISECONDS);

        QuietDrain drain = QuietDrain.start(List.of(channel));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("young: not closed unheard").isTrue();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[3]));
        recheck();
        assertThat(channel.isOpen()).as("it spoke").isTrue();
        recheck();
        assertThat(channel.isOpen()).isFalse();
        assertThat(drain.finished()).isEqualTo(1);
    }

    @Test
    void aConnectionAcceptedLongBeforeTheDrainAndIdleClosesAtOnce() {
        QuietDrain.accepted(channel);
        ticker.advance(QuietDrain.QUIET_MILLIS, TimeUnit.MILLISECONDS);

        QuietDrain drain = QuietDrain.start(List.of(channel));
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(drain.closedAtOnce()).isEqualTo(1);
    }

    @Test
    void closedChannelIsCountedWithoutALook() {
        channel.close();

        QuietDrain drain = QuietDrain.start(List.of(channel));
        channel.runPendingTasks();

        assertFirstLooksDone(drain);
        assertThat(drain.closedAtOnce()).isZero();
        assertThat(drain.finished()).isZero();
    }

    @Test
    void eachLookFlushesWhatAProtocolLeftUnflushed() {
        socket.release = true;
        channel.write(Unpooled.wrappedBuffer(new byte[100]));

        QuietDrain drain = QuietDrain.start(List.of(channel));
        channel.runPendingTasks();

        assertThat(channel.outboundMessages()).hasSize(1);
        assertThat(channel.isOpen()).as("nothing owed once flushed").isFalse();
        assertThat(drain.closedAtOnce()).isEqualTo(1);
    }

    @Test
    void channelOwingBytesClosesOnceItHasWrittenThem() {
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));

        QuietDrain drain = QuietDrain.start(List.of(channel));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertFirstLooksDone(drain);

        recheck();
        assertThat(channel.isOpen()).as("still owes").isTrue();

        socket.release = true;
        recheck();
        assertThat(channel.isOpen()).isFalse();
        assertThat(drain.finished()).isEqualTo(1);
        assertThat(drain.closedAtOnce()).isZero();
    }

    @Test
    void aReadSinceTheLastLookKeepsItForAnotherLook() {
        QuietDrain drain = QuietDrain.start(List.of(channel));
        // As an I/O pass would, between the drain starting and its first look.
        channel.eventLoop().execute(() -> channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(new byte[10])));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("read before the first look").isTrue();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[10]));
        recheck();
        assertThat(channel.isOpen()).as("read since the last look").isTrue();

        recheck();
        assertThat(channel.isOpen()).as("quiet for a whole look").isFalse();
        assertThat(drain.finished()).isEqualTo(1);
        assertThat(channel.inboundMessages()).hasSize(2);
    }

    @Test
    void aChangeOfWritabilitySinceTheLastLookKeepsItForAnotherLook() {
        // Backpressure turns reading back on when the channel becomes writable; what waits in the
        // socket is read on the next I/O pass, so a channel just drained of its output is not quiet yet.
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(16, 32));
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[64]));
        assertThat(channel.isWritable()).isFalse();
        QuietDrain drain = QuietDrain.start(List.of(channel));
        channel.runPendingTasks();

        socket.release = true;
        channel.flush();
        assertThat(channel.isWritable()).isTrue();
        recheck();
        assertThat(channel.isOpen()).as("writability changed since the last look").isTrue();

        recheck();
        assertThat(channel.isOpen()).isFalse();
        assertThat(drain.finished()).isEqualTo(1);
    }

    @Test
    void aChannelClosedByItselfStopsTheLooks() {
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));
        QuietDrain drain = QuietDrain.start(List.of(channel));
        channel.runPendingTasks();

        channel.close();
        recheck();
        recheck();

        assertThat(drain.finished()).isZero();
        assertThat(drain.closedAtOnce()).isZero();
    }

    private void recheck() {
        ticker.advance(QuietDrain.QUIET_MILLIS, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
    }

    private static void assertFirstLooksDone(QuietDrain drain) {
        long start = System.nanoTime();
        drain.awaitFirstLooks(Deadline.after(Duration.ZERO));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait: every first look is done")
                .isLessThan(Duration.ofSeconds(1));
    }

    /** A socket that takes nothing until released: flushes are held, so the bytes stay owed. */
    private static final class FlushHolder extends ChannelOutboundHandlerAdapter {
        boolean release;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (release) {
                ctx.flush();
            }
        }
    }
}
