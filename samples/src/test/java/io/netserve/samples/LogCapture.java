package io.netserve.samples;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Collects what one class logs, for tests that assert a logged reason. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts collecting what {@code source} logs. */
    public static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    /** The formatted messages so far, each with its level first: {@code WARN closing ...}. */
    public List<String> lines() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    /** Whether any event so far carried a stack trace. */
    public boolean anyStackTrace() {
        return appender.list.stream().anyMatch(e -> e.getThrowableProxy() != null);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
