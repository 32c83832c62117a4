package io.netserve.echo.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EchoHandlerTest {

    @Test
    void writesBackTheBufferItReadWithoutCopyingOrRetaining() {
        EmbeddedChannel ch = new EmbeddedChannel(EchoHandler.INSTANCE);
        ByteBuf in = Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII);

        ch.pipeline().fireChannelRead(in);
        ch.pipeline().fireChannelReadComplete();

        ByteBuf out = ch.readOutbound();
        assertThat(out).isSameAs(in);
        assertThat(out.refCnt()).isEqualTo(1);
        assertThat(out.readerIndex()).isZero();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(out.release()).isTrue();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void flushesOncePerReadBatchOnReadComplete() {
        EventRecorder recorder = new EventRecorder();
        EmbeddedChannel ch = new EmbeddedChannel(recorder, EchoHandler.INSTANCE);
        ByteBuf a = Unpooled.wrappedBuffer(new byte[] {1, 2});
        ByteBuf b = Unpooled.wrappedBuffer(new byte[] {3});

        ch.pipeline().fireChannelRead(a);
        ch.pipeline().fireChannelRead(b);

        // Written but not flushed: still in the channel's outbound buffer, nothing sent.
        assertThat(ch.outboundMessages()).isEmpty();
        assertThat(ch.unsafe().outboundBuffer().totalPendingWriteBytes()).isGreaterThanOrEqualTo(3);
        assertThat(recorder.events).containsExactly("write 2", "write 1");

        ch.pipeline().fireChannelReadComplete();

        assertThat(recorder.events).containsExactly("write 2", "write 1", "flush");
        assertThat((ByteBuf) ch.readOutbound()).isSameAs(a);
        assertThat((ByteBuf) ch.readOutbound()).isSameAs(b);
        assertThat(ch.unsafe().outboundBuffer().totalPendingWriteBytes()).isZero();
        a.release();
        b.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void allowsHalfClosureAsSoonAsItIsAdded() throws Exception {
        HalfClosableChannel ch = new HalfClosableChannel();
        assertThat(ch.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE)).isFalse();

        ch.pipeline().addLast("echo", EchoHandler.INSTANCE);

        assertThat(ch.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE)).isTrue();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void onInputShutdownFlushesWhatIsOwedThenCloses() {
        EventRecorder recorder = new EventRecorder();
        EmbeddedChannel ch = new EmbeddedChannel(recorder, EchoHandler.INSTANCE);
        ByteBuf owed = Unpooled.wrappedBuffer(new byte[] {42, 43, 44});
        ch.pipeline().fireChannelRead(owed);     // read, written, not yet flushed

        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(ch.isOpen()).isFalse();
        assertThat(recorder.events).containsExactly("write 3", "write 0", "flush", "close");
        assertThat((ByteBuf) ch.readOutbound()).isSameAs(owed);
        assertThat(((ByteBuf) ch.readOutbound()).isReadable()).isFalse();   // the empty write that carried the close
        owed.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void onInputShutdownWithNothingOwedClosesAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(EchoHandler.INSTANCE);

        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(ch.isOpen()).isFalse();
        assertThat(((ByteBuf) ch.readOutbound()).isReadable()).isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void passesOtherUserEventsOn() {
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(EchoHandler.INSTANCE, new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                seen.add(evt);
            }
        });
        Object custom = new Object();

        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        ch.pipeline().fireUserEventTriggered(custom);

        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).isSameAs(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        assertThat(seen.get(1)).isSameAs(ChannelInputShutdownReadComplete.INSTANCE);
        assertThat(seen.get(2)).isSameAs(custom);
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void isSharableAcrossChannels() {
        EmbeddedChannel first = new EmbeddedChannel(EchoHandler.INSTANCE);
        EmbeddedChannel second = new EmbeddedChannel(EchoHandler.INSTANCE);

        first.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        second.writeInbound(Unpooled.wrappedBuffer(new byte[] {2}));

        assertThat(EchoHandler.class).hasAnnotation(Sharable.class);
        ByteBuf a = first.readOutbound();
        ByteBuf b = second.readOutbound();
        assertThat(a.getByte(0)).isEqualTo((byte) 1);
        assertThat(b.getByte(0)).isEqualTo((byte) 2);
        a.release();
        b.release();
        assertThat(first.finishAndReleaseAll()).isFalse();
        assertThat(second.finishAndReleaseAll()).isFalse();
    }

    @Test
    void manyBuffersEchoedReleasedExactlyOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(EchoHandler.INSTANCE);
        List<ByteBuf> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ByteBuf buf = ch.alloc().directBuffer(16).writeInt(i);
            sent.add(buf);
            assertThat(ch.writeInbound(buf)).isFalse();   // consumed: nothing passes inbound
        }

        for (int i = 0; i < 100; i++) {
            ByteBuf out = ch.readOutbound();
            assertThat(out).isSameAs(sent.get(i));
            assertThat(out.readInt()).isEqualTo(i);
            out.release();
        }
        assertThat(sent).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    /** Records the outbound operations that reach the head of the pipeline, in order. */
    private static final class EventRecorder extends ChannelOutboundHandlerAdapter {
        final List<String> events = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            events.add("write " + ((ByteBuf) msg).readableBytes());
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            events.add("flush");
            ctx.flush();
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            events.add("close");
            ctx.close(promise);
        }
    }

    /**
     * An embedded channel whose configuration, like a socket channel's, knows
     * {@link ChannelOption#ALLOW_HALF_CLOSURE} (the default embedded one ignores it).
     */
    private static final class HalfClosableChannel extends EmbeddedChannel {
        private final ChannelConfig config = new DefaultChannelConfig(this) {
            private volatile boolean allowHalfClosure;

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getOption(ChannelOption<T> option) {
                return option == ChannelOption.ALLOW_HALF_CLOSURE ? (T) Boolean.valueOf(allowHalfClosure)
                        : super.getOption(option);
            }

            @Override
            public <T> boolean setOption(ChannelOption<T> option, T value) {
                if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
                    allowHalfClosure = (Boolean) value;
                    return true;
                }
                return super.setOption(option, value);
            }
        };

        HalfClosableChannel() throws Exception {
            super(EmbeddedChannel.builder().register(false));
            register();
        }

        @Override
        public ChannelConfig config() {
            return config;
        }
    }
}
