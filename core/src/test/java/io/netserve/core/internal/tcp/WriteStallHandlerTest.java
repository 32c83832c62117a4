package io.netserve.core.internal.tcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class WriteStallHandlerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int OWED = 8192;

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerContext context = new ServerContext(metrics);
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.netserve.core.stall");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final MockTicker ticker = Ticker.newMockTicker();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        logs.start();
        logger.addAppender(logs);
        channel = EmbeddedChannel.builder().ticker(ticker).handlers(new WriteStallHandler(TIMEOUT, context)).build();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 4096));
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logs);
        channel.finishAndReleaseAll();
    }

    @Test
    void closesAConnectionUnwritablePastTheTimeoutCountsAndLogsBytesOwed() {
        channel.write(Unpooled.wrappedBuffer(new byte[OWED]));
        assertThat(channel.isWritable()).isFalse();
        long pending = channel.unsafe().outboundBuffer().totalPendingWriteBytes();
        assertThat(pending).isGreaterThanOrEqualTo(OWED);

        advance(TIMEOUT.minusMillis(1));
        assertThat(channel.isOpen()).isTrue();
        advance(Duration.ofMillis(1));

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.stallClosed()).isEqualTo(1);
        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage())
                    .startsWith("closing stalled connection ")
                    .contains("unwritable for 2s with " + pending + " bytes still owed");
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void writableAgainBeforeTheTimeoutKeepsTheConnection() {
        channel.write(Unpooled.wrappedBuffer(new byte[OWED]));
        advance(TIMEOUT.minusMillis(1));

        channel.flush();
        assertThat(channel.isWritable()).isTrue();
        advance(TIMEOUT.multipliedBy(3));

        assertThat(channel.isOpen()).isTrue();
        assertThat(metrics.stallClosed()).isZero();
        assertThat(logs.list).isEmpty();
    }

    @Test
    void everyReturnToWritableRestartsTheClock() {
        for (int i = 0; i < 5; i++) {
            channel.write(Unpooled.wrappedBuffer(new byte[OWED]));
            advance(TIMEOUT.minusMillis(100));
            channel.flush();
            channel.releaseOutbound();
        }
        assertThat(channel.isOpen()).isTrue();

        channel.write(Unpooled.wrappedBuffer(new byte[OWED]));
        advance(TIMEOUT);

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.stallClosed()).isEqualTo(1);
    }

    @Test
    void aClosedConnectionIsNotCountedAsStalled() {
        channel.write(Unpooled.wrappedBuffer(new byte[OWED]));

        channel.close();
        advance(TIMEOUT.multipliedBy(2));

        assertThat(metrics.stallClosed()).isZero();
        assertThat(logs.list).isEmpty();
    }

    @Test
    void refusesBadArguments() {
        assertThatIllegalArgumentException().isThrownBy(() -> new WriteStallHandler(Duration.ZERO, context))
                .withMessage("timeout must be positive, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new WriteStallHandler(Duration.ofSeconds(-1), context))
                .withMessage("timeout must be positive, was -1s");
        assertThatNullPointerException().isThrownBy(() -> new WriteStallHandler(null, context)).withMessage("timeout");
        assertThatNullPointerException().isThrownBy(() -> new WriteStallHandler(TIMEOUT, null)).withMessage("context");
    }

    private void advance(Duration d) {
        ticker.advance(d.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }
}
