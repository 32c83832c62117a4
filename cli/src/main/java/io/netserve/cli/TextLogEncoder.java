package io.netserve.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * The encoder of {@code --log-format text}: one line an event,
 * {@code 2026-12-01T22:24:06.687 INFO  [main] TcpServer - tcp server bound to ...}, local time,
 * the logger's simple name, then the stack trace when there is one. What Logback's
 * {@code PatternLayout} would print for {@value #PATTERN}, written out: that
 * layout's parser and its dozens of converters cost a tenth of the jar's start-up CPU, more than
 * all of this service's own configuration.
 */
final class TextLogEncoder extends EncoderBase<ILoggingEvent> {

    /** What this encoder writes, as a Logback pattern. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";

    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        LocalDateTime t = LocalDateTime.ofInstant(event.getInstant(), zone);
        line.append(t.getYear()).append('-');
        twoDigits(line, t.getMonthValue()).append('-');
        twoDigits(line, t.getDayOfMonth()).append('T');
        twoDigits(line, t.getHour()).append(':');
        twoDigits(line, t.getMinute()).append(':');
        twoDigits(line, t.getSecond()).append('.');
        int millis = t.getNano() / 1_000_000;
        line.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10));
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        for (int i = level.length(); i < 5; i++) {
            line.append(' ');
        }
        String logger = event.getLoggerName();
        line.append(" [").append(event.getThreadName()).append("] ")
                .append(logger, logger.lastIndexOf('.') + 1, logger.length())
                .append(" - ").append(event.getFormattedMessage()).append('\n');
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown));
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    private static StringBuilder twoDigits(StringBuilder line, int value) {
        return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
