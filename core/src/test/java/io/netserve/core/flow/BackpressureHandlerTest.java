package io.netserve.core.flow;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel(BackpressureHandler.INSTANCE, new ChannelInboundHandlerAdapter() {
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

        channel.flush();
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(writabilityEvents).as("events passed on").containsExactly(false, true);
        assertThat(channel.outboundMessages()).hasSize(2);
    }

    @Test
    void repeatsForEveryRoundOfPressure() {
        for (int i = 0; i < 3; i++) {
            channel.write(Unpooled.wrappedBuffer(new byte[HIGH + 1]));
            assertThat(channel.config().isAutoRead()).isFalse();
            channel.flush();
            assertThat(channel.config().isAutoRead()).isTrue();
        }
        assertThat(writabilityEvents).containsExactly(false, true, false, true, false, true);
    }

    @Test
    void isSharable() {
        assertThat(BackpressureHandler.INSTANCE.isSharable()).isTrue();
    }
}
