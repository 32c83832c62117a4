package io.netserve.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Locale;

/**
 * Logback configuration of netserve's runnable jars, in code: one line an event on standard
 * output, INFO by default (the environment variable {@code NETSERVE_LOG_LEVEL} changes it), Netty's
 * own loggers at WARN. Configuring in code rather than from XML keeps hundreds of classes out of
 * the start, so the jar binds sooner.
 *
 * <p>A runnable module turns it on with a resource
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator} naming this class; core
 * itself does not, so an embedding service keeps its own logging setup. With
 * {@code -Dlogback.configurationFile=...} it steps aside for that file.
 */
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {

    /** Creates the configurator; Logback calls it through the service loader. */
    public ConsoleLogConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n");
        encoder.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv().getOrDefault("NETSERVE_LOG_LEVEL", "INFO")
                .toUpperCase(Locale.ROOT), Level.INFO));
        root.addAppender(console);
        context.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
