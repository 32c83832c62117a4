package io.netserve.core.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PendingRequests} in an {@link EmbeddedChannel}: order, bounds, writability, timeouts, failures. */
class PendingRequestsTest {

    private EmbeddedChannel channel;

    @AfterEach
    void finish() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private PendingRequests<String> requests(int max, Duration timeout) {
        PendingRequests<String> requests = new PendingRequests<>(String.class, max, timeout);
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(PendingRequests.REPLY_BYTES, requests.replyBytes())
                .addLast(PendingRequests.NAME, requests);
        return requests;
    }

    @Test
    void repliesCompleteTheirRequestsInOrder() throws Exception {
        PendingRequests<String> requests = requests(10, Duration.ZERO);

        CompletableFuture<String> a = requests.submit("a");
        CompletableFuture<String> b = requests.submit("b");
        channel.runPendingTasks();

        assertThat((Object) channel.readOutbound()).isEqualTo("a");
        assertThat((Object) channel.readOutbound()).isEqualTo("b");
        assertThat(requests.inFlight()).isEqualTo(2);
        channel.writeInbound("A");
        assertThat(a.getNow(null)).isEqualTo("A");
        assertThat(b).isNotDone();
        channel.writeInbound("B");
        assertThat(b.getNow(null)).isEqualTo("B");
        assertThat(requests.inFlight()).isZero();
    }

    @Test
    void oneRequestPastTheBoundIsRefusedAtOnce() {
        PendingRequests<String> requests = requests(2, Duration.ZERO);
        requests.submit("1");
        requests.submit("2");

        ByteBuf third = Unpooled.copiedBuffer("3", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> requests.submit(third).join()).cause()
                .isExactlyInstanceOf(RejectedExecutionException.class)
                .hasMessage("2 requests already in flight to embedded");
        assertThat(third.refCnt()).as("a refused request is released").isZero();
    }

    @Test
    void requestsWaitUnwrittenWhileTheChannelIsNotWritable() {
        PendingRequests<String> requests = requests(10, Duration.ZERO);
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);

        requests.submit("held");
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).isNull();

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).isEqualTo("held");
    }

    @Test
    void aTimedOutRequestKeepsItsPlaceAndItsLateReplyIsReleased() {
        PendingRequests<ByteBuf> requests = new PendingRequests<>(ByteBuf.class, 10, Duration.ofMillis(100));
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(requests);
        CompletableFuture<ByteBuf> first = requests.submit("first");

        channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThatThrownBy(first::join).cause().isExactlyInstanceOf(TimeoutException.class)
                .hasMessage("no reply from embedded within 100 ms");

        CompletableFuture<ByteBuf> second = requests.submit("second");
        ByteBuf late = Unpooled.copiedBuffer("late", StandardCharsets.US_ASCII);
        channel.writeInbound(late);
        assertThat(late.refCnt()).isZero();
        assertThat(second).isNotDone();
        channel.writeInbound(Unpooled.copiedBuffer("answer", StandardCharsets.US_ASCII));
        ByteBuf answer = second.join();
        assertThat(answer.toString(StandardCharsets.US_ASCII)).isEqualTo("answer");
        answer.release();
    }

    @Test
    void aRequestNotYetWrittenLeavesWhenItTimesOut() {
        PendingRequests<String> requests = requests(1, Duration.ofMillis(100));
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        CompletableFuture<String> waiting = requests.submit("never written");

        channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(waiting).isCompletedExceptionally();
        assertThat(requests.inFlight()).isZero();
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void theServerClosingFailsEveryRequestBeforeItsReply() {
        PendingRequests<String> requests = requests(10, Duration.ZERO);
        CompletableFuture<String> a = requests.submit("a");
        CompletableFuture<String> b = requests.submit("b");
        channel.runPendingTasks();

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(channel.isOpen()).isFalse();
        for (CompletableFuture<String> f : java.util.List.of(a, b)) {
            assertThatThrownBy(f::join).cause().isExactlyInstanceOf(EOFException.class)
                    .hasMessage("connection closed by embedded before its reply");
        }
        assertThat(requests.inFlight()).isZero();
        assertThatThrownBy(() -> requests.submit("after").join()).cause().isInstanceOf(EOFException.class);
    }

    @Test
    void theServerClosingInTheMiddleOfAReplySaysSo() {
        PendingRequests<String> requests = requests(10, Duration.ZERO);
        CompletableFuture<String> a = requests.submit("a");
        channel.runPendingTasks();
        // Part of a reply: bytes a decoder would hold; here nothing decodes them, so the test consumes them.
        channel.pipeline().addAfter(PendingRequests.REPLY_BYTES, "decoder", new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
            }
        });
        channel.writeInbound(Unpooled.copiedBuffer("par", StandardCharsets.US_ASCII));

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThatThrownBy(a::join).cause().isExactlyInstanceOf(EOFException.class)
                .hasMessage("connection closed by embedded in the middle of its reply");
    }

    @Test
    void anIoErrorFailsEveryRequestAndIsNotPassedOn() {
        PendingRequests<String> requests = requests(10, Duration.ZERO);
        CompletableFuture<String> a = requests.submit("a");
        channel.runPendingTasks();

        channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

        assertThatThrownBy(a::join).cause().isExactlyInstanceOf(IOException.class)
                .hasMessage("connection to embedded failed: Connection reset by peer");
        channel.checkException();
    }

    @Test
    void aMalformedReplyFailsEveryRequest() {
        PendingRequests<String> requests = requests(10, Duration.ZERO);
        CompletableFuture<String> a = requests.submit("a");
        channel.runPendingTasks();

        channel.pipeline().fireExceptionCaught(new DecoderException("frame too long"));

        assertThatThrownBy(a::join).cause().isExactlyInstanceOf(IOException.class)
                .hasMessage("malformed reply from embedded: frame too long");
    }

    @Test
    void aReplyWithNoRequestPendingIsMalformedInput() {
        requests(10, Duration.ZERO);

        assertThatThrownBy(() -> channel.writeInbound("unasked")).isExactlyInstanceOf(CorruptedFrameException.class)
                .hasMessage("a reply with no request pending");
    }

    @Test
    void aRequestThatCannotBeEncodedFailsAloneAndTheRestStayInStep() {
        PendingRequests<String> requests = requests(10, Duration.ZERO);
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if ("bad".equals(msg)) {
                    promise.setFailure(new EncoderException("cannot encode bad"));
                } else {
                    ctx.write(msg, promise);
                }
            }
        });
        CompletableFuture<String> good = requests.submit("good");
        CompletableFuture<String> bad = requests.submit("bad");
        CompletableFuture<String> next = requests.submit("next");
        channel.runPendingTasks();

        assertThatThrownBy(bad::join).cause().isExactlyInstanceOf(EncoderException.class);
        channel.writeInbound("GOOD");
        channel.writeInbound("NEXT");
        assertThat(good.join()).isEqualTo("GOOD");
        assertThat(next.join()).isEqualTo("NEXT");
    }
}
