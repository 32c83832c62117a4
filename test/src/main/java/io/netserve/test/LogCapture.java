package io.netserve.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Collects what one logger logs, for tests that assert a logged reason. Needs Logback as the
 * tests' SLF4J provider (the rest of the kit works with any); close it after the test.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of("io.netserve.core.input")) {
 *     ...
 *     assertThat(log.lines()).singleElement().asString().startsWith("WARN closing connection");
 * }
 * }</pre>
 *
 * <p>netserve's own loggers are named by the kind of event: {@code io.netserve.core.idle},
 * {@code .stall}, {@code .limit}, {@code .input}, {@code .peer}, {@code .udp}.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts collecting what the logger named {@code name} logs. */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** Starts collecting what the logger of {@code source} logs. */
    public static LogCapture of(Class<?> source) {
        return of(source.getName());
    }

    /** The events so far, oldest first. */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // the lock AppenderBase.doAppend holds while it appends
            return List.copyOf(appender.list);
        }
    }

    /** The formatted messages logged at {@code level} so far. */
    public List<String> messages(Level level) {
        return events().stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The formatted messages so far. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The formatted messages so far, each with its level first: {@code WARN closing ...}. */
    public List<String> lines() {
        return events().stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    /** Whether any event so far carried a stack trace. */
    public boolean anyStackTrace() {
        return events().stream().anyMatch(e -> e.getThrowableProxy() != null);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
