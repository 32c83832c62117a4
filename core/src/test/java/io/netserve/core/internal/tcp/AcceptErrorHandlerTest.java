package io.netserve.core.internal.tcp;

import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.test.LogCapture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptErrorHandlerTest {

    private final ServerMetrics metrics = new ServerMetrics();
    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel listener = EmbeddedChannel.builder().ticker(ticker)
            .handlers(new AcceptErrorHandler(new ServerContext(metrics))).build();
    private final LogCapture logs = LogCapture.of("io.netserve.core.accept");

    @AfterEach
    void tearDown() {
        logs.close();
        listener.finishAndReleaseAll();
    }

    @Test
    void runningOutOfFilesIsOneLineNamingTheLimitToRaiseACountAndAPause() {
        listener.pipeline().fireExceptionCaught(new IOException("accept(..) failed with error(-24): Too many open files"));

        listener.checkException();
        assertThat(metrics.acceptErrorsFileLimit()).isEqualTo(1);
        assertThat(logs.events()).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).startsWith("cannot accept connections on ")
                    .contains(": Too many open files; raise the open-files limit (ulimit -n, or LimitNOFILE=");
            assertThat(e.getThrowableProxy()).isNull();
        });
        assertThat(listener.config().isAutoRead()).as("accepting paused").isFalse();

        ticker.advance(1, TimeUnit.SECONDS);
        listener.runScheduledPendingTasks();
        assertThat(listener.config().isAutoRead()).as("and resumed a second later").isTrue();
    }

    @Test
    void otherFailuresAreCountedApartAndAFloodIsThrottled() {
        for (int i = 0; i < 10; i++) {
            listener.pipeline().fireExceptionCaught(new IOException("accept(..) failed: Software caused connection abort"));
        }

        assertThat(metrics.acceptErrorsOther()).isEqualTo(10);
        assertThat(metrics.acceptErrorsFileLimit()).isZero();
        assertThat(logs.messages()).singleElement().asString().endsWith(": Software caused connection abort");
    }
}
