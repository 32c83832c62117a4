package io.netserve.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AsyncConsoleAppenderTest {

    private final LoggerContext context = new LoggerContext();
    {
        context.setMDCAdapter(new LogbackMDCAdapter());
    }
    private final Logger log = context.getLogger("test");
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch writing = new CountDownLatch(1);
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final PrintStream stuck = new PrintStream(new OutputStream() {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (written) {
                written.write(b, off, len);
            }
        }
    }, true, StandardCharsets.UTF_8);
    private AsyncConsoleAppender appender;

    @AfterEach
    void stop() {
        release.countDown();
        if (appender != null) {
            appender.stop(5_000);
        }
        context.stop();
    }

    @Test
    void writesEachEventAsOneLineInOrder() {
        start(128, new PrintStream(written, true, StandardCharsets.UTF_8));
        release.countDown();

        for (int i = 0; i < 100; i++) {   // fewer than the queue holds: none is dropped
            log.info("event {}", i);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> lines().size() == 100);
        assertThat(lines()).startsWith("INFO test event 0", "INFO test event 1").endsWith("INFO test event 99");
        assertThat(appender.dropped()).isZero();
    }

    @Test
    void dropsAndCountsWhileTheOutputIsStuckAndSaysHowManyOnceItMovesAgain() throws Exception {
        start(16, stuck);
        log.info("first");
        assertThat(writing.await(30, TimeUnit.SECONDS)).as("the worker is stuck writing").isTrue();

        Thread logger = new Thread(() -> {
            for (int i = 0; i < 1_000; i++) {
                log.info("event {}", i);
            }
        });
        logger.start();
        logger.join(30_000);

        assertThat(logger.isAlive()).as("logging returned while the output was stuck").isFalse();
        assertThat(appender.dropped()).as("all but the queue's 16 dropped").isEqualTo(1_000 - 16);

        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> lines().size() == 1 + 1 + 16);
        assertThat(lines()).containsExactly(expected());
        log.info("later");
        await().atMost(Duration.ofSeconds(30)).until(() -> lines().contains("INFO test later"));
        assertThat(lines()).filteredOn(l -> l.contains("dropped")).hasSize(1);
    }

    @Test
    void flushWaitsForWhatIsQueuedAndGivesUpOnAStuckOutput() {
        start(16, stuck);
        log.info("stuck");

        assertThat(appender.flush(100)).as("stuck output").isFalse();
        release.countDown();
        assertThat(appender.flush(30_000)).isTrue();
        assertThat(lines()).containsExactly("INFO test stuck");
    }

    @Test
    void stopWritesWhatIsQueuedButGivesUpOnAStuckOutput() {
        start(16, stuck);
        log.info("stuck");
        log.info("queued");

        long start = System.nanoTime();
        appender.stop(200);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stop gave up").isLessThan(Duration.ofSeconds(20));
        log.info("after stop");
        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> lines().size() == 2);
        assertThat(lines()).containsExactly("INFO test stuck", "INFO test queued");
    }

    private String[] expected() {
        String[] lines = new String[18];
        lines[0] = "INFO test first";
        lines[1] = "WARN io.netserve.log dropped 984 log events: standard output was not read fast enough";
        for (int i = 0; i < 16; i++) {
            lines[2 + i] = "INFO test event " + i;
        }
        return lines;
    }

    private void start(int capacity, PrintStream out) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %msg%n");
        encoder.start();
        appender = new AsyncConsoleAppender(capacity, encoder, () -> out);
        appender.setContext(context);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
    }

    private List<String> lines() {
        String text;
        synchronized (written) {
            text = written.toString(StandardCharsets.UTF_8);
        }
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }
}
