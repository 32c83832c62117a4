package io.netserve.core.internal.tcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.test.LogCapture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class ConnectionLimitHandlerTest {

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerContext context = new ServerContext(metrics);
    private final MockTicker ticker = Ticker.newMockTicker();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.netserve.core.limit");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseChannels() {
        logger.detachAppender(logs);
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void admitsUpToTheLimit() {
        ConnectionLimitHandler limit = new ConnectionLimitHandler(3, context);

        for (int i = 0; i < 3; i++) {
            Recorder downstream = new Recorder();
            EmbeddedChannel ch = connect(limit, downstream);
            assertThat(ch.isActive()).isTrue();
            assertThat(downstream.events).containsExactly("active");
        }

        assertThat(limit.openConnections()).isEqualTo(3);
        assertThat(metrics.connectionsActive()).isEqualTo(3);
        assertThat(metrics.connectionsTotal()).isEqualTo(3);
        assertThat(metrics.connectionsRejected()).isZero();
        assertThat(logs.list).isEmpty();
    }

    @Test
    void closesTheOneOverTheLimitBeforeDownstreamSeesIt() {
        ConnectionLimitHandler limit = new ConnectionLimitHandler(2, context);
        connect(limit, new Recorder());
        connect(limit, new Recorder());

        Recorder downstream = new Recorder();
        EmbeddedChannel third = connect(limit, downstream);

        assertThat(third.isOpen()).isFalse();
        assertThat(downstream.events).isEmpty();
        assertThat(limit.openConnections()).isEqualTo(2);
        assertThat(metrics.connectionsRejected()).isEqualTo(1);
        assertThat(metrics.connectionsActive()).isEqualTo(2);
        assertThat(metrics.connectionsTotal()).isEqualTo(2);
        assertThat(logs.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).startsWith("connection limit 2 reached: rejected ");
            assertThat(e.getThrowableProxy()).isNull();
        });
    }

    @Test
    void closingOneAdmitsAnother() {
        ConnectionLimitHandler limit = new ConnectionLimitHandler(1, context);
        Recorder firstDownstream = new Recorder();
        EmbeddedChannel first = connect(limit, firstDownstream);
        assertThat(connect(limit, new Recorder()).isOpen()).isFalse();

        first.close().syncUninterruptibly();

        assertThat(firstDownstream.events).containsExactly("active", "inactive");
        assertThat(limit.openConnections()).isZero();
        assertThat(metrics.connectionsActive()).isZero();
        Recorder downstream = new Recorder();
        EmbeddedChannel next = connect(limit, downstream);
        assertThat(next.isActive()).isTrue();
        assertThat(downstream.events).containsExactly("active");
        assertThat(limit.openConnections()).isEqualTo(1);
        assertThat(metrics.connectionsTotal()).isEqualTo(2);
        assertThat(metrics.connectionsRejected()).isEqualTo(1);
    }

    @Test
    void rejectedConnectionsDoNotUseUpTheCount() {
        ConnectionLimitHandler limit = new ConnectionLimitHandler(1, context);
        EmbeddedChannel first = connect(limit, new Recorder());
        for (int i = 0; i < 5; i++) {
            assertThat(connect(limit, new Recorder()).isOpen()).isFalse();
        }

        first.close().syncUninterruptibly();

        assertThat(limit.openConnections()).isZero();
        assertThat(connect(limit, new Recorder()).isActive()).isTrue();
        assertThat(metrics.connectionsRejected()).isEqualTo(5);
        assertThat(metrics.connectionsActive()).isEqualTo(1);
    }

    @Test
    void logsRejectionsAtMostOnceASecondWithTheCountOfTheOthers() {
        ConnectionLimitHandler limit = new ConnectionLimitHandler(1, context);
        connect(limit, new Recorder());

        for (int i = 0; i < 20; i++) {
            connect(limit, new Recorder());
        }
        ticker.advance(1, TimeUnit.SECONDS);
        channels.forEach(EmbeddedChannel::runScheduledPendingTasks);

        assertThat(metrics.connectionsRejected()).isEqualTo(20);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).hasSize(2)
                .last().isEqualTo("rejected 19 more connections past the connection limit in the last second");
    }

    @Test
    void logsEachAdmittedConnectionsOpenAndCloseAtDebug() {
        ConnectionLimitHandler limit = new ConnectionLimitHandler(1, context);
        try (LogCapture debug = LogCapture.of("io.netserve.core.connection")) {
            Logger connections = (Logger) LoggerFactory.getLogger("io.netserve.core.connection");
            connections.setLevel(Level.DEBUG);
            try {
                EmbeddedChannel first = connect(limit, new Recorder());
                connect(limit, new Recorder());   // rejected: not opened
                first.close().syncUninterruptibly();
                connect(limit, new Recorder()).close().syncUninterruptibly();
            } finally {
                connections.setLevel(null);
            }

            assertThat(debug.lines()).containsExactly("DEBUG opened connection embedded",
                    "DEBUG closed connection embedded", "DEBUG opened connection embedded",
                    "DEBUG closed connection embedded");
        }
    }

    @Test
    void refusesBadArguments() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ConnectionLimitHandler(0, context))
                .withMessage("maxConnections must be at least 1, was 0");
        assertThatNullPointerException().isThrownBy(() -> new ConnectionLimitHandler(1, null))
                .withMessage("context");
    }

    private EmbeddedChannel connect(ConnectionLimitHandler limit, Recorder downstream) {
        EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker).handlers(limit, downstream).build();
        channels.add(ch);
        return ch;
    }

    /** Records the lifecycle events that get past the limit. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<String> events = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            events.add("active");
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.add("inactive");
            ctx.fireChannelInactive();
        }
    }
}
