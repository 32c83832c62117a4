package io.netserve.core.idle;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.netserve.test.LogCapture;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.TrafficMetricsHandler;
import io.netserve.core.internal.tcp.IdleDetectionHandler;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class IdlePolicyTest {

    private static final long TIMEOUT_MS = 1000;

    private final ServerMetrics metrics = new ServerMetrics();
    private final MockTicker ticker = Ticker.newMockTicker();
    private final Recorder downstream = new Recorder();
    private final LogCapture logs = LogCapture.of("io.netserve.core.idle");
    private EmbeddedChannel channel;

    @AfterEach
    void finish() {
        logs.close();
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void closeClosesAnAllIdleConnectionCountsAndLogs() {
        channel = channel(IdlePolicy.close(), 0, 0, TIMEOUT_MS);

        advance(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(1);

        assertThat(channel.isOpen()).isFalse();
        assertThat(downstream.events).isEmpty();
        assertThat(metrics.idleClosed()).isEqualTo(1);
        assertThat(logs.events()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage())
                    .startsWith("closing idle connection ")
                    .endsWith(": no read and write within the idle timeout");
        });
    }

    @Test
    void closeNamesWhatWasIdle() {
        channel = channel(IdlePolicy.close(), TIMEOUT_MS, 0, 0);
        advance(TIMEOUT_MS);
        EmbeddedChannel writerIdle = channel(new ServerContext(metrics), IdlePolicy.close(), 0, TIMEOUT_MS, 0);
        advance(TIMEOUT_MS);
        writerIdle.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(writerIdle.isOpen()).isFalse();
        assertThat(writerIdle.finishAndReleaseAll()).isFalse();
        assertThat(metrics.idleClosed()).isEqualTo(2);
        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
                m -> assertThat(m).endsWith(": no read within the idle timeout"),
                m -> assertThat(m).endsWith(": no write within the idle timeout"));
    }

    @Test
    void aPolicyOfItsOwnGetsEachIdleEventAndKeepsTheConnection() {
        channel = channel(new Recording(), 0, 0, TIMEOUT_MS);

        advance(TIMEOUT_MS);
        advance(TIMEOUT_MS);

        assertThat(channel.isOpen()).isTrue();
        assertThat(downstream.events).hasSize(2);
        assertThat(downstream.events.get(0)).isSameAs(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        assertThat(downstream.events.get(1)).isSameAs(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(metrics.idleClosed()).isZero();
        assertThat(logs.events()).isEmpty();
    }

    @Test
    void aPolicyOfItsOwnClosesAsTheDefaultDoesWhenItChooses() {
        IdlePolicy warnThenClose = new IdlePolicy() {
            @Override
            protected void idle(ChannelHandlerContext ctx, IdleStateEvent event) {
                if (!event.isFirst()) {
                    closeIdle(ctx, event);
                }
            }
        };
        channel = channel(warnThenClose, 0, 0, TIMEOUT_MS);

        advance(TIMEOUT_MS);
        assertThat(channel.isOpen()).isTrue();
        advance(TIMEOUT_MS);

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.idleClosed()).isEqualTo(1);
        assertThat(logs.messages()).singleElement().asString().startsWith("closing idle connection ");
    }

    @Test
    void closesOfManyConnectionsLogOneLineASecondWithTheCount() {
        ServerContext context = new ServerContext(metrics);
        List<EmbeddedChannel> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(channel(context, IdlePolicy.close(), 0, 0, TIMEOUT_MS));
        }
        ticker.advance(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        many.forEach(EmbeddedChannel::runScheduledPendingTasks);
        ticker.advance(1, TimeUnit.SECONDS);
        many.forEach(EmbeddedChannel::runScheduledPendingTasks);

        assertThat(metrics.idleClosed()).isEqualTo(30);
        assertThat(logs.messages()).hasSize(2).last()
                .isEqualTo("closed 29 more idle connections in the last second");
        many.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void replacePutsThePolicyInTheStandardPlaceOnlyWhenThereIsOne() {
        IdlePolicy own = new Recording();
        EmbeddedChannel withIdle = new EmbeddedChannel();
        withIdle.pipeline().addLast("idle", new ChannelInboundHandlerAdapter())
                .addLast(IdlePolicy.HANDLER_NAME, IdlePolicy.close()).addLast("protocol", new ChannelInboundHandlerAdapter());
        EmbeddedChannel withoutIdle = new EmbeddedChannel(new ChannelInboundHandlerAdapter());

        IdlePolicy.replace(withIdle.pipeline(), own);
        IdlePolicy.replace(withoutIdle.pipeline(), own);

        assertThat(withIdle.pipeline().names()).startsWith("idle", IdlePolicy.HANDLER_NAME, "protocol");
        assertThat(withIdle.pipeline().get(IdlePolicy.HANDLER_NAME)).isSameAs(own);
        assertThat(withoutIdle.pipeline().get(IdlePolicy.HANDLER_NAME)).isNull();
        withIdle.finishAndReleaseAll();
        withoutIdle.finishAndReleaseAll();
    }

    @Test
    void otherUserEventsPassThroughEitherPolicy() {
        channel = channel(IdlePolicy.close(), 0, 0, TIMEOUT_MS);
        Object custom = new Object();

        channel.pipeline().fireUserEventTriggered(custom);

        assertThat(downstream.events).containsExactly(custom);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void connectionWhoseWritesKeepCompletingIsNotAllIdle() {
        channel = channel(IdlePolicy.close(), 0, 0, TIMEOUT_MS);

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
        channel = channel(IdlePolicy.close(), 0, 0, TIMEOUT_MS);

        for (int i = 0; i < 20; i++) {
            advance(TIMEOUT_MS / 2);
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) i}));
            channel.releaseInbound();
        }

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void connectionWithNoReadsAndNoWriteProgressIsIdle() {
        channel = channel(IdlePolicy.close(), 0, 0, TIMEOUT_MS);
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
        channel = channel(IdlePolicy.close(), 0, 0, TIMEOUT_MS);
        channel.write(Unpooled.wrappedBuffer(new byte[64]));

        advance(TIMEOUT_MS);
        assertThat(channel.isOpen()).as("the write itself was activity").isTrue();
        advance(TIMEOUT_MS);

        assertThat(channel.isOpen()).as("owed bytes did not move for a whole timeout").isFalse();
        assertThat(metrics.idleClosed()).isEqualTo(1);
    }

    @Test
    void outputThatKeepsMovingWithoutCompletingIsNotAllIdle() {
        channel = channel(IdlePolicy.close(), 0, 0, TIMEOUT_MS);

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
    void aPolicyOfItsOwnGetsTheFirstEventEvenWithBytesOwed() {
        channel = channel(new Recording(), 0, 0, TIMEOUT_MS);
        channel.write(Unpooled.wrappedBuffer(new byte[64]));

        advance(TIMEOUT_MS + TIMEOUT_MS / 2);

        assertThat(downstream.events).singleElement().isSameAs(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
    }

    @Test
    void refusesNulls() {
        assertThatNullPointerException().isThrownBy(() -> IdlePolicy.replace(new EmbeddedChannel().pipeline(), null))
                .withMessage("policy");
    }

    private EmbeddedChannel channel(IdlePolicy policy, long readerMs, long writerMs, long allMs) {
        return channel(new ServerContext(metrics), policy, readerMs, writerMs, allMs);
    }

    /** A connection of the server of {@code context}, as core's pipeline builds it around the idle policy. */
    private EmbeddedChannel channel(ServerContext context, IdlePolicy policy, long readerMs, long writerMs, long allMs) {
        return EmbeddedChannel.builder()
                .ticker(ticker)
                .handlers(new TrafficMetricsHandler(context),
                        new IdleDetectionHandler(Duration.ofMillis(readerMs), Duration.ofMillis(writerMs),
                                Duration.ofMillis(allMs)),
                        policy, downstream)
                .build();
    }

    /** Moves time forward in small steps, as a running event loop would, running what falls due. */
    private void advance(long millis) {
        for (long done = 0; done < millis; done += 10) {
            ticker.advance(Math.min(10, millis - done), TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    /** A policy of a protocol's own: hands each idle event on to the protocol's handlers. */
    private static final class Recording extends IdlePolicy {
        @Override
        protected void idle(ChannelHandlerContext ctx, IdleStateEvent event) {
            ctx.fireUserEventTriggered(event);
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
