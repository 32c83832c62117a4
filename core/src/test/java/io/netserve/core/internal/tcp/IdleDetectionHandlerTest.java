package io.netserve.core.internal.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdleDetectionHandlerTest {

    private static final long T = 1000; // the timeout, in ms

    private final List<IdleStateEvent> events = new ArrayList<>();
    private EmbeddedChannel channel;

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private void open(Duration reader, Duration writer, Duration all) {
        channel = new EmbeddedChannel(new IdleDetectionHandler(reader, writer, all), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add((IdleStateEvent) evt);
            }
        });
        channel.freezeTime();
    }

    private void advance(long ms) {
        for (long step = 0; step < ms; step += 50) {
            channel.advanceTimeBy(Math.min(50, ms - step), TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void allIdleFiresFirstThenRepeatsEveryTimeout() {
        open(Duration.ZERO, Duration.ZERO, Duration.ofMillis(T));
        advance(T - 100);
        assertThat(events).isEmpty();
        advance(150);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        advance(T);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT,
                IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    @Test
    void readsKeepAConnectionFromBeingReaderIdle() {
        open(Duration.ofMillis(T), Duration.ZERO, Duration.ZERO);
        for (int i = 0; i < 5; i++) {
            advance(T / 2);
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
            assertThat((Object) channel.readInbound()).isNotNull().satisfies(b -> ((io.netty.buffer.ByteBuf) b).release());
        }
        assertThat(events).isEmpty();
        advance(T + T / 4);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    }

    @Test
    void writesCountAsActivityForAllIdleButNotForReaderIdle() {
        open(Duration.ofMillis(T), Duration.ZERO, Duration.ofMillis(T));
        for (int i = 0; i < 8; i++) {
            advance(T / 4);
            channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {2}));
        }
        assertThat(events).containsExactly(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT,
                IdleStateEvent.READER_IDLE_STATE_EVENT);
    }

    @Test
    void bytesOwedThatDoNotMoveAreIdle() {
        open(Duration.ZERO, Duration.ofMillis(T), Duration.ZERO);
        channel.write(Unpooled.wrappedBuffer(new byte[1024])); // never flushed: the peer takes nothing
        advance(T);
        assertThat(events).isEmpty(); // the write itself was activity
        advance(T / 2);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
    }

    @Test
    void bytesOwedThatMoveAreNotIdle() {
        open(Duration.ZERO, Duration.ZERO, Duration.ofMillis(T));
        // A slow reader: something leaves the outbound buffer every so often, nothing new is written.
        for (int i = 0; i < 6; i++) {
            channel.write(Unpooled.wrappedBuffer(new byte[512]));
        }
        advance(T / 4);
        for (int i = 0; i < 6; i++) {
            advance(T / 2);
            flushOne();
        }
        assertThat(events).isEmpty();
        advance(T + T / 2);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
    }

    /** Sends the oldest unflushed buffer only, as a socket that accepts a little at a time would. */
    private void flushOne() {
        io.netty.channel.ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        Object oldest = out.current();
        if (oldest == null) {
            out.addFlush();
            oldest = out.current();
        }
        if (oldest != null) {
            out.remove();
        }
    }

    @Test
    void stopsTickingOnceClosed() {
        open(Duration.ZERO, Duration.ZERO, Duration.ofMillis(T));
        channel.close();
        advance(3 * T);
        assertThat(events).isEmpty();
    }

    @Test
    void refusesNegativeOrAllZeroTimeouts() {
        assertThatThrownBy(() -> new IdleDetectionHandler(Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new IdleDetectionHandler(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readerTimeout");
    }
}
