package io.netserve.core.idle;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class IdlePolicyHandlerTest {

    private static final long TIMEOUT_MS = 1000;

    private final ServerMetrics metrics = new ServerMetrics();
    private final MockTicker ticker = Ticker.newMockTicker();
    private final Recorder downstream = new Recorder();
    private final Logger logger = (Logger) LoggerFactory.getLogger(IdlePolicyHandler.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void finish() {
        logger.detachAppender(logs);
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void closeClosesAnAllIdleConnectionCountsAndLogs() {
        channel = channel(IdlePolicy.CLOSE, 0, 0, TIMEOUT_MS);

        advance(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(1);

        assertThat(channel.isOpen()).isFalse();
        assertThat(downstream.events).isEmpty();
        assertThat(metrics.idleClosed()).isEqualTo(1);
        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage())
                    .startsWith("closing idle connection ")
                    .endsWith(": no read and write within the idle timeout");
        });
    }

    @Test
    void closeNamesWhatWasIdle() {
        channel = channel(IdlePolicy.CLOSE, TIMEOUT_MS, 0, 0);
        advance(TIMEOUT_MS);
        EmbeddedChannel writerIdle = channel(IdlePolicy.CLOSE, 0, TIMEOUT_MS, 0);
        advance(TIMEOUT_MS);
        writerIdle.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(writerIdle.isOpen()).isFalse();
        assertThat(writerIdle.finishAndReleaseAll()).isFalse();
        assertThat(metrics.idleClosed()).isEqualTo(2);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
                m -> assertThat(m).endsWith(": no read within the idle timeout"),
                m -> assertThat(m).endsWith(": no write within the idle timeout"));
    }

    @Test
    void notifyPassesIdleEventsOnAndKeepsTheConnection() {
        channel = channel(IdlePolicy.NOTIFY, 0, 0, TIMEOUT_MS);

        advance(TIMEOUT_MS);
        advance(TIMEOUT_MS);

        assertThat(channel.isOpen()).isTrue();
        assertThat(downstream.events).hasSize(2);
        assertThat(downstream.events.get(0)).isSameAs(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        assertThat(downstream.events.get(1)).isSameAs(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(metrics.idleClosed()).isZero();
        assertThat(logs.list).isEmpty();
    }

    @Test
    void otherUserEventsPassThroughEitherPolicy() {
        channel = channel(IdlePolicy.CLOSE, 0, 0, TIMEOUT_MS);
        Object custom = new Object();

        channel.pipeline().fireUserEventTriggered(custom);

        assertThat(downstream.events).containsExactly(custom);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void connectionWhoseWritesKeepCompletingIsNotAllIdle() {
        channel = channel(IdlePolicy.CLOSE, 0, 0, TIMEOUT_MS);

        for (int i = 0; i < 20; i++) {
            advance(TIMEOUT_MS / 2);
            channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) i}));
            channel.releaseOutbound();
        }

        assertThat(channel.isOpen()).isTrue();
        assertThat(metrics.idleClosed()).isZero();
    }

    @Test
    void connectionWhoseReadsKeepComingIsNotAllIdle() {
        channel = channel(IdlePolicy.CLOSE, 0, 0, TIMEOUT_MS);

        for (int i = 0; i < 20; i++) {
            advance(TIMEOUT_MS / 2);
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) i}));
            channel.releaseInbound();
        }

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void connectionWithNoReadsAndNoWriteProgressIsIdle() {
        channel = channel(IdlePolicy.CLOSE, 0, 0, TIMEOUT_MS);
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
        channel.releaseOutbound();
        advance(TIMEOUT_MS / 2);
        assertThat(channel.isOpen()).isTrue();

        advance(TIMEOUT_MS);

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.idleClosed()).isEqualTo(1);
    }

    @Test
    void bytesOwedThatDoNotMoveForATimeoutAreIdle() {
        channel = channel(IdlePolicy.CLOSE, 0, 0, TIMEOUT_MS);
        channel.write(Unpooled.wrappedBuffer(new byte[64]));

        advance(TIMEOUT_MS);
        assertThat(channel.isOpen()).as("the write itself was activity").isTrue();
        advance(TIMEOUT_MS);

        assertThat(channel.isOpen()).as("owed bytes did not move for a whole timeout").isFalse();
        assertThat(metrics.idleClosed()).isEqualTo(1);
    }

    @Test
    void outputThatKeepsMovingWithoutCompletingIsNotAllIdle() {
        channel = channel(IdlePolicy.CLOSE, 0, 0, TIMEOUT_MS);

        for (int i = 0; i < 5; i++) {
            channel.write(Unpooled.wrappedBuffer(new byte[64]));
            advance(TIMEOUT_MS);
            assertThat(channel.isOpen()).as("output moved within timeout %d", i).isTrue();
        }
        advance(TIMEOUT_MS);

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.idleClosed()).isEqualTo(1);
    }

    @Test
    void notifyPassesTheFirstEventOnEvenWithBytesOwed() {
        channel = channel(IdlePolicy.NOTIFY, 0, 0, TIMEOUT_MS);
        channel.write(Unpooled.wrappedBuffer(new byte[64]));

        advance(TIMEOUT_MS + TIMEOUT_MS / 2);

        assertThat(downstream.events).singleElement().isSameAs(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
    }

    @Test
    void refusesNulls() {
        assertThatNullPointerException().isThrownBy(() -> new IdlePolicyHandler(null, metrics)).withMessage("policy");
        assertThatNullPointerException().isThrownBy(() -> new IdlePolicyHandler(IdlePolicy.CLOSE, null))
                .withMessage("metrics");
    }

    private EmbeddedChannel channel(IdlePolicy policy, long readerMs, long writerMs, long allMs) {
        return EmbeddedChannel.builder()
                .ticker(ticker)
                .handlers(new IdleDetectionHandler(Duration.ofMillis(readerMs), Duration.ofMillis(writerMs),
                                Duration.ofMillis(allMs)),
                        new IdlePolicyHandler(policy, metrics), downstream)
                .build();
    }

    /** Moves time forward in small steps, as a running event loop would, running what falls due. */
    private void advance(long millis) {
        for (long done = 0; done < millis; done += 10) {
            ticker.advance(Math.min(10, millis - done), TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    /** Records the user events that get past the policy. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }
}
