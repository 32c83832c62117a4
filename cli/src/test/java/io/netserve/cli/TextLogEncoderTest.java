package io.netserve.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The text encoder writes what Logback's own PatternLayout writes for its pattern, byte for byte. */
class TextLogEncoderTest {

    private final LoggerContext context = new LoggerContext();
    private final TextLogEncoder text = new TextLogEncoder();
    private final PatternLayoutEncoder logback = new PatternLayoutEncoder();

    @BeforeEach
    void start() {
        text.setContext(context);
        text.start();
        logback.setContext(context);
        logback.setPattern(TextLogEncoder.PATTERN);
        logback.start();
    }

    @AfterEach
    void stop() {
        text.stop();
        logback.stop();
        context.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ERROR", "WARN", "INFO", "DEBUG", "TRACE"})
    void aLineIsWhatThePatternLayoutWrites(String level) {
        LoggingEvent event = event(Level.toLevel(level), "io.netserve.core.idle", "closing idle connection {}", null);
        event.setThreadName("netserve-tcp-1-2");

        assertThat(encode(text, event)).isEqualTo(encode(logback, event))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} " + String.format("%-5s", level)
                        + " \\[netserve-tcp-1-2] idle - closing idle connection /127\\.0\\.0\\.1:4711\n");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 999, 1_764_626_646_007L, 4_102_444_799_999L})
    void theTimestampIsWhatThePatternLayoutWrites(long epochMillis) {
        LoggingEvent event = event(Level.INFO, "TcpServer", "bound", null);
        event.setInstant(Instant.ofEpochMilli(epochMillis));

        assertThat(encode(text, event)).isEqualTo(encode(logback, event));
    }

    @ParameterizedTest
    @ValueSource(strings = {"io.netserve.core.tcp.TcpServer", "peer", ""})
    void theLoggerIsItsSimpleName(String logger) {
        LoggingEvent event = event(Level.WARN, logger, "x", null);

        assertThat(encode(text, event)).isEqualTo(encode(logback, event));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aStackTraceFollowsItsLine(boolean withCause) {
        IOException failure = new IOException("disk full", withCause ? new IllegalStateException("inner") : null);
        LoggingEvent event = event(Level.ERROR, "io.netserve.cli.ServiceLauncher", "cannot write {}", failure);

        String line = encode(text, event);
        assertThat(line).isEqualTo(encode(logback, event)).contains("java.io.IOException: disk full\n\tat ");
        assertThat(line.contains("Caused by: java.lang.IllegalStateException: inner")).isEqualTo(withCause);
    }

    private LoggingEvent event(Level level, String logger, String format, Throwable thrown) {
        Object[] args = {new java.net.InetSocketAddress("127.0.0.1", 4711)};
        return new LoggingEvent(Logger.FQCN, context.getLogger(logger.isEmpty() ? Logger.ROOT_LOGGER_NAME : logger),
                level, format, thrown, args);
    }

    private static String encode(ch.qos.logback.core.encoder.Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder,
                                 LoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
