package io.netserve.test;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtocolTesterTest {

    @Test
    void writesLinesAndReadsTheRepliesAsLines() {
        try (ProtocolTester tester = ProtocolTester.of(KitProtocols.lines())) {
            tester.writeLine("one").writeString("two\r\nthr").writeString("ee\n");
            assertThat(tester.readLines()).containsExactly("echo:one", "echo:two", "echo:three");
            assertThat(tester.readLines()).isEmpty();
            assertThat(tester.isOpen()).isTrue();
        }
    }

    @Test
    void readsRepliesAsBytesAndStrings() {
        try (ProtocolTester tester = ProtocolTester.of(KitProtocols.lines())) {
            tester.writeBytes("a\n".getBytes(StandardCharsets.UTF_8));
            assertThat(tester.readBytes()).isEqualTo("echo:a\n".getBytes(StandardCharsets.UTF_8));
            tester.writeLine("é");
            assertThat(tester.readString()).isEqualTo("echo:é\n");
            assertThat(tester.readBytes()).isEmpty();
        }
    }

    @Test
    void seesTheProtocolCloseTheConnection() {
        try (ProtocolTester tester = ProtocolTester.of(KitProtocols.lines())) {
            tester.writeLine("quit");
            assertThat(tester.readLines()).containsExactly("bye");
            assertThat(tester.isOpen()).isFalse();
            assertThatThrownBy(() -> tester.writeLine("more")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void runsTheProtocolBehindCoresExceptionTail() {
        try (ProtocolTester tester = ProtocolTester.of(KitProtocols.lines())) {
            tester.writeLine("x".repeat(KitProtocols.MAX_LINE + 1));
            // TooLongFrameException reached core's tail, which closed only this connection.
            assertThat(tester.isOpen()).isFalse();
            assertThat(tester.readBytes()).isEmpty();
        }
    }

    @Test
    void countsTrafficInCoresMetrics() {
        try (ProtocolTester tester = ProtocolTester.of(KitProtocols.lines())) {
            tester.writeLine("abc");
            assertThat(tester.readString()).isEqualTo("echo:abc\n");
            assertThat(tester.metrics().bytesIn()).isEqualTo(4);
            assertThat(tester.metrics().connectionsActive()).isEqualTo(1);
        }
    }

    @Test
    void firedEventsPassThroughCoresIdlePolicy() {
        try (ProtocolTester tester = ProtocolTester.of(KitProtocols.linesTellingIdleness())) {
            tester.fireEvent(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
            assertThat(tester.readLines()).containsExactly("idle:READER_IDLE");
        }
        try (ProtocolTester tester = ProtocolTester.of(KitProtocols.lines())) {
            tester.fireEvent(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
            assertThat(tester.isOpen()).as("the default policy closes idle connections").isFalse();
            assertThat(tester.metrics().idleClosed()).isEqualTo(1);
        }
    }

    @Test
    void advancingTimeFiresTheConfiguredIdleTimeout() {
        ServerConfig config = ServerConfig.builder().allIdleTimeout(Duration.ZERO)
                .readerIdleTimeout(Duration.ofSeconds(30)).build();
        try (ProtocolTester tester = ProtocolTester.of(KitProtocols.linesTellingIdleness(), config)) {
            tester.advanceTimeBy(Duration.ofSeconds(29));
            assertThat(tester.readLines()).isEmpty();
            tester.advanceTimeBy(Duration.ofSeconds(2));
            assertThat(tester.readLines()).containsExactly("idle:READER_IDLE");
        }
    }

    @Test
    void passesOnWhatTheProtocolDoesNotConsume() {
        try (ProtocolTester tester = ProtocolTester.of(p -> p.addLast(new FixedLengthFrameDecoder(2)))) {
            tester.writeBytes((byte) 1, (byte) 2, (byte) 3);
            ByteBuf frame = tester.readInbound();
            try {
                assertThat(frame.readableBytes()).isEqualTo(2);
            } finally {
                frame.release();
            }
            assertThat((Object) tester.readInbound()).isNull();
        }
    }

    @Test
    void testersAreDistinctConnectionsThatCanShareAChannelGroup() {
        ChannelGroup group = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
        Protocol joinAndBroadcast = p -> p.addLast(new StringEncoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                group.add(ctx.channel());
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                group.writeAndFlush("to all\n");
            }
        });
        try (ProtocolTester one = ProtocolTester.of(joinAndBroadcast);
             ProtocolTester two = ProtocolTester.of(joinAndBroadcast)) {
            assertThat(group.size()).isEqualTo(2);
            one.writeBytes((byte) 1);
            assertThat(one.readLines()).containsExactly("to all");
            assertThat(two.readLines()).containsExactly("to all");
        }
    }

    @Test
    void closeFailsOnALeakedBuffer() {
        ProtocolTester tester = ProtocolTester.of(KitProtocols.leaking());
        tester.writeBytes(new byte[64]);
        assertThatThrownBy(tester::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak").hasMessageContaining("LEAK:");
    }

    @Test
    void closeReleasesWhatWasNotRead() {
        ProtocolTester tester = ProtocolTester.of(KitProtocols.lines());
        tester.writeLine("never read back");
        tester.close();
        tester.close();
        assertThatThrownBy(tester::readBytes).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readFailsWhenTheProtocolWritesSomethingASocketCannotSend() {
        try (ProtocolTester tester = ProtocolTester.of(KitProtocols.missingEncoder())) {
            tester.writeBytes((byte) 1);
            assertThatThrownBy(tester::readBytes).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("encoder missing");
        }
    }

    @Test
    void readLinesFailsOnAnIncompleteLine() {
        try (ProtocolTester tester = ProtocolTester.of(p -> p.addLast(new StringEncoder(),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                        ctx.writeAndFlush("no newline");
                    }
                }))) {
            tester.writeBytes((byte) 1);
            assertThatThrownBy(tester::readLines).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("incomplete line: no newline");
        }
    }
}
