package io.netserve.core.internal.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RequestDeadlineHandler} on an {@link EmbeddedChannel} with its clock advanced by hand. */
class RequestDeadlineHandlerTest {

    private static final long TIMEOUT_MS = 1000;

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @BeforeEach
    void addHandlerOnAFrozenClock() {
        channel.freezeTime();
        channel.pipeline().addLast(new RequestDeadlineHandler(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)));
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void closesAConnectionThatSendsNothingWhenTheTimeoutIsUp() {
        advance(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();

        advance(1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void everyCompleteRequestStartsTheTimeoutAfresh() {
        advance(900);
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health/live"));
        advance(900);
        assertThat(channel.isOpen()).isTrue();

        advance(100);
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.<Object>readInbound()).isInstanceOf(DefaultFullHttpRequest.class);
    }

    @Test
    void partsOfARequestDoNotStartItAfresh() {
        advance(900);
        channel.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer(new byte[] {1})));

        advance(100);
        assertThat(channel.isOpen()).isFalse();
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }
}
