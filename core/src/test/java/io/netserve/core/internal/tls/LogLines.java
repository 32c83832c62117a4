package io.netserve.core.internal.tls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Captures what one class logs, for asserting on log lines; close it after the test. */
final class LogLines implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogLines(Class<?> type) {
        logger = (Logger) LoggerFactory.getLogger(type);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** The formatted messages logged at {@code level}, oldest first. */
    List<String> at(Level level) {
        synchronized (appender) { // the lock AppenderBase.doAppend holds
            return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** Whether any line carried a stack trace. */
    boolean anyStackTrace() {
        synchronized (appender) { // the lock AppenderBase.doAppend holds
            return appender.list.stream().anyMatch(e -> e.getThrowableProxy() != null);
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
