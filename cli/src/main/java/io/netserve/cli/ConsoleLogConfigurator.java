package io.netserve.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;

/**
 * Logback configuration of netserve's runnable jars, in code: one event a line on standard output,
 * INFO by default, Netty's own loggers at WARN. Configuring in code rather than from XML keeps
 * hundreds of classes out of the start, so the jar binds sooner.
 *
 * <p>Logging never makes the thread that logs wait: events reach standard output through a queue
 * of {@value #QUEUE_CAPACITY} events and one writer thread ({@code netserve-log}). When standard
 * output is not read and the queue is full, events are dropped and counted
 * ({@link #droppedEvents()}), and once the output moves again one line says how many were lost:
 * {@code WARN ... dropped 3120 log events: standard output was not read fast enough}. At exit the
 * queue is written out, for at most a second.
 *
 * <p>{@link ServiceLauncher} applies {@code --log-format} and {@code --log-level} right after
 * parsing; without {@code --log-level} the environment variable {@value #LEVEL_ENVIRONMENT} is
 * the level, if set. Lines a script waits for ({@code listening on ...}) do not go through here:
 * the launcher prints them itself, at once.
 *
 * <p>A runnable module turns it on with a resource
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator} naming this class; core
 * itself does not, so an embedding service keeps its own logging setup. With
 * {@code -Dlogback.configurationFile=...} it steps aside for that file (and only
 * {@code --log-level} still applies).
 */
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {

    /** Log events that may wait for standard output; past them, events are dropped and counted. */
    public static final int QUEUE_CAPACITY = 1024;

    /** The environment variable that sets the level when {@code --log-level} is not given. */
    public static final String LEVEL_ENVIRONMENT = "NETSERVE_LOG_LEVEL";

    private static final long FLUSH_AT_EXIT_MILLIS = 1_000;

    /** The appender this configurator installed, if it did. */
    private static volatile AsyncConsoleAppender console;
    /** The format {@link #console} writes. */
    private static volatile LogFormat format = LogFormat.TEXT;

    /** Creates the configurator; Logback calls it through the service loader. */
    public ConsoleLogConfigurator() {
    }

    /**
     * Log events dropped so far because standard output did not keep up, since the process
     * started: what {@code netserve_log_events_dropped_total} reports. Zero when this
     * configurator is not in use.
     */
    public static long droppedEvents() {
        AsyncConsoleAppender a = console;
        return a == null ? 0 : a.dropped();
    }

    /**
     * Waits at most {@code timeout} until the events logged so far are on standard output, and
     * returns whether they are: for a line a program prints directly that must come after its
     * logs ({@code service stopped}). Returns at once when this configurator is not in use.
     */
    public static boolean flush(Duration timeout) {
        AsyncConsoleAppender a = console;
        return a == null || a.flush(timeout.toMillis());
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        AsyncConsoleAppender appender = new AsyncConsoleAppender(QUEUE_CAPACITY, textEncoder(context),
                () -> System.out);
        appender.setContext(context);
        appender.setName("CONSOLE");
        appender.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> appender.stop(FLUSH_AT_EXIT_MILLIS), "netserve-log-flush"));

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        setLevel(context, environmentLevel());
        console = appender;
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Applies {@code --log-format} and {@code --log-level}: {@code level} null means the option was
     * not given ({@value #LEVEL_ENVIRONMENT}, else INFO).
     */
    static synchronized void apply(LogFormat format, Level level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return; // another SLF4J provider: its configuration decides
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        AsyncConsoleAppender appender = console;
        if (appender == null) { // a configuration file of the user's
            if (level != null) {
                context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level);
            }
            return;
        }
        if (format != ConsoleLogConfigurator.format) {
            appender.setEncoder(format == LogFormat.JSON ? JsonLogEncoder.create(context) : textEncoder(context));
            ConsoleLogConfigurator.format = format;
        }
        setLevel(context, level != null ? level : environmentLevel());
    }

    /** The level {@value #LEVEL_ENVIRONMENT} names, else INFO. */
    static Level environmentLevel() {
        String value = System.getenv(LEVEL_ENVIRONMENT);
        return value == null ? Level.INFO : Level.toLevel(value.trim().toUpperCase(Locale.ROOT), Level.INFO);
    }

    private static void setLevel(LoggerContext context, Level level) {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level);
        // Netty's own loggers: warnings and worse, or only errors when the rest is quieter still.
        context.getLogger("io.netty").setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        TextLogEncoder encoder = new TextLogEncoder();
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
