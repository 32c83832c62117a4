package io.netserve.core.internal;

import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BackpressureHandlerTest {

    private static final int LOW = 1024;
    private static final int HIGH = 4096;

    private final List<Boolean> writabilityEvents = new ArrayList<>();
    private EmbeddedChannel channel;
    /** Whether the "socket" takes what is flushed; when not, flushes stop here, as at a full socket buffer. */
    private boolean socketTakes;

    @BeforeEach
    void setUp() {
        ChannelOutboundHandlerAdapter socket = new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                if (socketTakes) {
                    ctx.flush();
                }
            }
        };
        channel = new EmbeddedChannel(socket, BackpressureHandler.INSTANCE, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                writabilityEvents.add(ctx.channel().isWritable());
                ctx.fireChannelWritabilityChanged();
            }
        });
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW, HIGH));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void stopsReadingPastTheHighMarkAndReadsAgainOnceFlushed() {
        assertThat(channel.config().isAutoRead()).isTrue();

        channel.write(Unpooled.wrappedBuffer(new byte[HIGH / 2]));
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();

        channel.write(Unpooled.wrappedBuffer(new byte[HIGH]));
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();

        socketTakes = true;
        channel.flush();
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(writabilityEvents).as("events passed on").containsExactly(false, true);
        assertThat(channel.outboundMessages()).hasSize(2);
    }

    @Test
    void repeatsForEveryRoundOfPressure() {
        for (int i = 0; i < 3; i++) {
            socketTakes = false;
            channel.write(Unpooled.wrappedBuffer(new byte[HIGH + 1]));
            assertThat(channel.config().isAutoRead()).isFalse();
            socketTakes = true;
            channel.flush();
            assertThat(channel.config().isAutoRead()).isTrue();
        }
        assertThat(writabilityEvents).containsExactly(false, true, false, true, false, true);
    }

    @Test
    void keepsReadingWhenTheSocketTakesWhatIsOwed() {
        socketTakes = true;

        channel.write(Unpooled.wrappedBuffer(new byte[HIGH + 1]));

        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).as("never paused").isTrue();
        assertThat(channel.outboundMessages()).as("flushed early").hasSize(1);
        assertThat(writabilityEvents).as("only the return to writable is passed on").containsExactly(true);
    }

    @Test
    void countsEachPausedChannelInTheServersMetricsUntilItReadsAgainOrCloses() {
        ServerMetrics metrics = new ServerMetrics();
        ChannelOutboundHandlerAdapter stuckSocket = new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                if (socketTakes) {
                    ctx.flush();
                }
            }
        };
        EmbeddedChannel counted = new EmbeddedChannel(stuckSocket, new TrafficMetricsHandler(new ServerContext(metrics)),
                BackpressureHandler.INSTANCE);
        counted.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW, HIGH));
        try {
            counted.write(Unpooled.wrappedBuffer(new byte[HIGH + 1]));
            assertThat(metrics.connectionsPaused()).isEqualTo(1);

            socketTakes = true;
            counted.flush();
            assertThat(metrics.connectionsPaused()).isZero();

            socketTakes = false;
            counted.write(Unpooled.wrappedBuffer(new byte[HIGH + 1]));
            assertThat(metrics.connectionsPaused()).isEqualTo(1);
            counted.close();
            assertThat(metrics.connectionsPaused()).as("a closed channel is no longer paused").isZero();
        } finally {
            counted.finishAndReleaseAll();
        }
    }

    @Test
    void isSharable() {
        assertThat(BackpressureHandler.INSTANCE.isSharable()).isTrue();
    }
}
