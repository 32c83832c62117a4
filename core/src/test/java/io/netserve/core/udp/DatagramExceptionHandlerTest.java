package io.netserve.core.udp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DatagramExceptionHandlerTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private EmbeddedChannel channel;
    private LogCapture logs;

    @BeforeEach
    void setUp() {
        logs = new LogCapture(DatagramExceptionHandler.class);
        channel = EmbeddedChannel.builder().ticker(ticker).handlers(new DatagramExceptionHandler()).build();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        logs.close();
    }

    @Test
    void keepsTheChannelOpenAndLogsAnIoErrorInOneLine() {
        channel.pipeline().fireExceptionCaught(new IOException("sendmsg(..) failed: Network is unreachable"));

        assertThat(channel.isOpen()).isTrue();
        ILoggingEvent event = logs.events().get(0);
        assertThat(event.getLevel()).isEqualTo(Level.INFO);
        assertThat(event.getFormattedMessage())
                .contains("kept open after 1 I/O error(s), latest: sendmsg(..) failed: Network is unreachable");
        assertThat(event.getThrowableProxy()).isNull();
        channel.checkException();
    }

    @Test
    void logsAMalformedDatagramAsAWarningWithoutStackTrace() {
        channel.pipeline().fireExceptionCaught(new DecoderException("bad header"));

        assertThat(channel.isOpen()).isTrue();
        ILoggingEvent event = logs.events().get(0);
        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getFormattedMessage()).contains("1 malformed datagram(s), latest: bad header");
        assertThat(event.getThrowableProxy()).isNull();
    }

    @Test
    void logsABugWithItsStackTrace() {
        channel.pipeline().fireExceptionCaught(new IllegalStateException("bug"));

        assertThat(channel.isOpen()).isTrue();
        ILoggingEvent event = logs.events().get(0);
        assertThat(event.getLevel()).isEqualTo(Level.WARN);
        assertThat(event.getThrowableProxy().getMessage()).isEqualTo("bug");
    }

    @Test
    void logsAtMostOneLineASecondWithTheCount() {
        for (int i = 0; i < 100; i++) {
            channel.pipeline().fireExceptionCaught(new DecoderException("bad " + i));
        }
        assertThat(logs.events()).hasSize(1);

        ticker.advance(1, TimeUnit.SECONDS);
        channel.pipeline().fireExceptionCaught(new DecoderException("bad 100"));

        assertThat(logs.messages()).hasSize(2);
        assertThat(logs.messages().get(1)).contains("100 malformed datagram(s), latest: bad 100");
        assertThat(channel.isOpen()).isTrue();
    }
}
