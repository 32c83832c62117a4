package io.netserve.core.internal.udp;

import io.netserve.test.LogCapture;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceRateLimiterTest {

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerContext context = new ServerContext(metrics);
    private final MockTicker ticker = Ticker.newMockTicker();
    private SourceRateLimiter limiter;
    private EmbeddedChannel channel;
    private LogCapture logs;

    @BeforeEach
    void setUp() {
        logs = LogCapture.of("io.netserve.core.udp");
        limiter = new SourceRateLimiter(new RateLimitTable(3, 256, new Random(1)), context);
        channel = newChannel();
    }

    private EmbeddedChannel newChannel() {
        return EmbeddedChannel.builder().ticker(ticker).handlers(limiter).build();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        logs.close();
    }

    @Test
    void passesTheRateAndDropsReleasesAndCountsTheRest() {
        DatagramPacket[] sent = new DatagramPacket[5];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = Datagrams.from(40000, 8);
            channel.writeInbound(sent[i]);
        }

        for (int i = 0; i < 3; i++) {
            DatagramPacket passed = channel.readInbound();
            assertThat(passed).isSameAs(sent[i]);
            passed.release();
        }
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(sent[3].refCnt()).isZero();
        assertThat(sent[4].refCnt()).isZero();
        assertThat(metrics.droppedRateLimited()).isEqualTo(2);
        assertThat(logs.messages()).singleElement().asString()
                .contains("past the rate limit of 3/s per source address");
    }

    @Test
    void refillsWithTime() {
        for (int i = 0; i < 4; i++) {
            channel.writeInbound(Datagrams.from(40000, 1));
        }
        assertThat(channel.inboundMessages()).hasSize(3);

        ticker.advance(334, TimeUnit.MILLISECONDS);
        channel.writeInbound(Datagrams.from(40000, 1));
        channel.writeInbound(Datagrams.from(40000, 1));

        assertThat(channel.inboundMessages()).hasSize(4);
        assertThat(metrics.droppedRateLimited()).isEqualTo(2);
    }

    @Test
    void limitsEachSourceAddressNotEachPort() {
        for (int port = 40000; port < 40010; port++) {
            channel.writeInbound(Datagrams.from("127.0.0.1", port, 1));
        }
        channel.writeInbound(Datagrams.from("127.0.0.2", 40000, 1));

        assertThat(channel.inboundMessages()).hasSize(4)
                .extracting(m -> ((DatagramPacket) m).sender().getHostString())
                .containsExactly("127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.2");
    }

    @Test
    void sharesOneTableAcrossChannels() {
        EmbeddedChannel other = newChannel();
        try {
            channel.writeInbound(Datagrams.from(40000, 1), Datagrams.from(40000, 1));
            other.writeInbound(Datagrams.from(40001, 1), Datagrams.from(40001, 1));

            assertThat(channel.inboundMessages().size() + other.inboundMessages().size()).isEqualTo(3);
            assertThat(limiter.trackedSources()).isEqualTo(1);
        } finally {
            other.finishAndReleaseAll();
        }
    }

    @Test
    void dropsNewSourcesWhileTheTableIsFullAndWarnsOnce() {
        limiter = new SourceRateLimiter(new RateLimitTable(1, 1, new Random(1)), context);
        EmbeddedChannel small = newChannel();
        try (LogCapture warnings = LogCapture.of("io.netserve.core.udp")) {
            small.writeInbound(Datagrams.from("10.0.0.1", 40000, 1));
            small.writeInbound(Datagrams.from("10.0.0.2", 40000, 1));
            small.writeInbound(Datagrams.from("10.0.0.3", 40000, 1));
            assertThat(small.inboundMessages()).hasSize(1);
            assertThat(metrics.droppedRateLimited()).isEqualTo(2);
            assertThat(warnings.messages()).singleElement().asString()
                    .contains("the rate-limit table is full (1 sources within their window)");

            ticker.advance(1, TimeUnit.SECONDS);
            small.writeInbound(Datagrams.from("10.0.0.2", 40000, 1));
            assertThat(small.inboundMessages()).hasSize(2);
        } finally {
            small.finishAndReleaseAll();
        }
    }

    @Test
    void passesOtherMessagesOn() {
        channel.writeInbound("other");

        assertThat(channel.<Object>readInbound()).isEqualTo("other");
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> new SourceRateLimiter(0, 10, context))
                .hasMessage("ratePerSecond must be at least 1, was 0");
        assertThatThrownBy(() -> new SourceRateLimiter(1, 0, context))
                .hasMessage("maxSources must be at least 1, was 0");
    }
}
