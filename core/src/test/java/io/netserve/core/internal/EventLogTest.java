package io.netserve.core.internal;

import io.netserve.test.LogCapture;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EventLogTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
    private final LogCapture logs = LogCapture.of("test.events");
    private final EventLog log = new EventLog("test.events", Level.INFO, "{} more events in the last second");

    @AfterEach
    void tearDown() {
        logs.close();
        channel.finishAndReleaseAll();
    }

    @Test
    void logsTheFirstEventAtOnceWithItsPeerAndChannel() {
        log.log(channel, "event {} from {}", 1, "peer");

        assertThat(logs.events()).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).isEqualTo("event 1 from peer");
            assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
            assertThat(e.getKeyValuePairs()).extracting(kv -> kv.key).containsExactly("remote", "channel");
        });
    }

    @Test
    void countsTheOthersOfTheIntervalAndSummarizesThemAtItsEnd() {
        for (int i = 0; i < 3000; i++) {
            log.log(channel, "event {}", i);
            ticker.advance(100, TimeUnit.MICROSECONDS);
        }
        assertThat(logs.messages()).containsExactly("event 0");

        ticker.advance(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(logs.messages()).containsExactly("event 0", "2999 more events in the last second");
    }

    @Test
    void everyEventLogsEachEventButNothingWhileItsLevelIsOff() {
        EventLog each = EventLog.everyEvent("test.events", Level.DEBUG);
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("test.events");
        ch.qos.logback.classic.Level before = logger.getLevel();
        try {
            each.log(channel, "off");
            assertThat(logs.messages()).isEmpty();

            logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
            for (int i = 0; i < 100; i++) {
                each.log(channel, "event {}", i);
            }
            ticker.advance(1, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();

            assertThat(logs.messages()).hasSize(100).startsWith("event 0").endsWith("event 99");
        } finally {
            logger.setLevel(before);
        }
    }

    @Test
    void aThrottledLogWhoseLevelIsOffCountsNothingAndSchedulesNoSummary() {
        EventLog debug = new EventLog("test.events", Level.DEBUG, "{} more events in the last second");

        for (int i = 0; i < 10; i++) {
            debug.log(channel, "event {}", i);
        }

        ticker.advance(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(logs.messages()).as("no line, no summary").isEmpty();
    }

    @Test
    void aQuietIntervalLogsTheNextEventAtOnceAgain() {
        log.log(channel, "first");
        log.log(channel, "second");
        ticker.advance(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        ticker.advance(5, TimeUnit.SECONDS);

        log.log(channel, "third");

        assertThat(logs.messages()).containsExactly("first", "1 more events in the last second", "third");
    }

    @Test
    void noSummaryWithoutSuppressedEvents() {
        log.log(channel, "only");
        ticker.advance(10, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(logs.messages()).containsExactly("only");
    }

    @Test
    void datagramEventsNameTheirSource() {
        InetSocketAddress source = new InetSocketAddress("127.0.0.1", 40000);

        log.log(channel, source, "dropped from {}", source);

        assertThat(logs.events()).singleElement().extracting(ILoggingEvent::getKeyValuePairs)
                .satisfies(kvs -> assertThat(kvs).singleElement().satisfies(kv -> {
                    assertThat(kv.key).isEqualTo("remote");
                    assertThat(kv.value).isEqualTo(source);
                }));
    }
}
