package io.netserve.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerHandle;
import io.netserve.core.server.ServerStartException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceLauncherTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private ServerStartException failure = new ServerStartException("no failure set", null);
    private TestService service;

    @Test
    void setsNettysDefaultsOnlyWhereTheUserSetNothing() {
        String leaks = System.getProperty(ServiceLauncher.LEAK_DETECTION);
        String lowMemory = System.getProperty(ServiceLauncher.LOW_MEMORY);
        try {
            System.setProperty(ServiceLauncher.LEAK_DETECTION, "simple");
            System.setProperty(ServiceLauncher.LOW_MEMORY, "true");
            ServiceLauncher.applyNettyDefaults();
            assertThat(System.getProperty(ServiceLauncher.LEAK_DETECTION)).isEqualTo("simple");
            assertThat(System.getProperty(ServiceLauncher.LOW_MEMORY)).isEqualTo("true");

            System.clearProperty(ServiceLauncher.LEAK_DETECTION);
            System.clearProperty(ServiceLauncher.LOW_MEMORY);
            ServiceLauncher.applyNettyDefaults();
            assertThat(System.getProperty(ServiceLauncher.LEAK_DETECTION)).isEqualTo("disabled");
            assertThat(System.getProperty(ServiceLauncher.LOW_MEMORY)).isEqualTo("false");
        } finally {
            restore(ServiceLauncher.LEAK_DETECTION, leaks);
            restore(ServiceLauncher.LOW_MEMORY, lowMemory);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void unknownOptionIsAUsageErrorNamingTheOptionWithAHintToHelp() {
        int status = run("--bogus");

        assertThat(status).isEqualTo(2);
        assertThat(err()).isEqualTo("test-service: Unknown option: '--bogus'\n"
                + "Try 'test-service --help' for more information.\n");
        assertThat(out()).isEmpty();
        assertThat(service.started).as("never started").isNull();
    }

    @Test
    void unparsableValueIsAUsageErrorNamingTheOption() {
        assertThat(run("--port", "eighty")).isEqualTo(2);
        assertThat(err()).startsWith("test-service: Invalid value for option '--port': 'eighty' is not an int")
                .endsWith("Try 'test-service --help' for more information.\n");
    }

    @Test
    void badDurationIsAUsageErrorNamingTheOptionAndTheForms() {
        assertThat(run("--shutdown-timeout", "5")).isEqualTo(2);
        assertThat(err()).contains("'--shutdown-timeout'", "'5' is not a duration", "--help");
    }

    @Test
    void unknownTransportIsAUsageErrorListingTheChoices() {
        assertThat(run("--transport", "iouring")).isEqualTo(2);
        assertThat(err()).contains("'--transport'", "use auto, nio, epoll, io_uring or kqueue", "--help");
    }

    @Test
    void portOutOfRangeIsAUsageErrorNamingPort() {
        assertThat(run("--port", "65536")).isEqualTo(2);
        assertThat(err()).isEqualTo("test-service: Invalid value for option '--port': "
                + "port must be between 0 and 65535, was 65536\n"
                + "Try 'test-service --help' for more information.\n");
        assertThat(out()).isEmpty();

        err.reset();
        assertThat(run("--port", "-1")).isEqualTo(2);
        assertThat(err()).contains("'--port'", "was -1");
    }

    @Test
    void otherValuesOutOfRangeNameTheirOption() {
        assertThat(run("--io-threads", "0")).isEqualTo(2);
        assertThat(err()).contains("Invalid value for option '--io-threads': ioThreads must be between 1 and 1024");
        err.reset();

        assertThat(run("--shutdown-timeout", "25h")).isEqualTo(2);
        assertThat(err()).contains("Invalid value for option '--shutdown-timeout': shutdownTimeout must be between");
        err.reset();

        assertThat(run("--max-connections", "0")).isEqualTo(2);
        assertThat(err()).contains("Invalid value for option '--max-connections': maxConnections must be between");
    }

    @Test
    void badLogOptionsAreUsageErrorsListingTheChoices() {
        assertThat(run("--log-format", "yaml")).isEqualTo(2);
        assertThat(err()).contains("'--log-format'", "'yaml' is not a log format: use text or json", "--help");
        err.reset();

        assertThat(run("--log-level", "verbose")).isEqualTo(2);
        assertThat(err()).contains("'--log-level'", "use error, warn, info, debug or trace", "--help");
        assertThat(service.started).as("never started").isNull();
    }

    @Test
    void logLevelIsAppliedBeforeTheServiceStarts() {
        failure = new ServerStartException("stop here", null);
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        try {
            assertThat(run("--log-level", "debug")).isEqualTo(1);
            assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(((Logger) LoggerFactory.getLogger("io.netty")).getLevel()).isEqualTo(Level.WARN);

            assertThat(run("--log-level", "error", "--log-format", "text")).isEqualTo(1);
            assertThat(root.getLevel()).isEqualTo(Level.ERROR);
            assertThat(((Logger) LoggerFactory.getLogger("io.netty")).getLevel()).isEqualTo(Level.ERROR);

            assertThat(run()).as("no --log-level: the environment's, else info").isEqualTo(1);
            assertThat(root.getLevel()).isEqualTo(ConsoleLogConfigurator.environmentLevel());
        } finally {
            root.setLevel(before);
        }
    }

    @Test
    void helpPrintsUsageAndReturnsZero() {
        assertThat(run("--help")).isEqualTo(0);

        assertThat(out()).startsWith("Usage: test-service")
                .contains("--host=HOST", "--port=N", "--transport=auto|nio|epoll|io_uring", "--io-threads=N",
                        "--shutdown-timeout=DURATION", "--max-connections=N", "--version", "Default: 65432");
        assertThat(err()).isEmpty();
        assertThat(service.started).isNull();
    }

    @Test
    void versionListsTheTransportsAndReturnsZero() {
        assertThat(run("--version")).isEqualTo(0);

        assertThat(out()).startsWith("test-service ")
                .contains("transports:", "  epoll: ", "  io_uring: ", "  nio: available");
        assertThat(err()).isEmpty();
        assertThat(service.started).isNull();
    }

    @Test
    void startFailureIsOneLineOnStandardErrorWithoutAStackTrace() {
        failure = new ServerStartException("cannot bind 127.0.0.1:7: Address already in use",
                new java.net.BindException("Address already in use"));

        int status = run("--port", "7");

        assertThat(status).isEqualTo(1);
        assertThat(err()).isEqualTo("test-service: cannot bind 127.0.0.1:7: Address already in use\n");
        assertThat(out()).isEmpty();
        assertThat(service.started.port()).isEqualTo(7);
    }

    @Test
    void optionsReachTheCommandWithTheContractDefaults() {
        failure = new ServerStartException("stop here", null);

        assertThat(run()).isEqualTo(1);

        ServerConfig c = service.started;
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(65432);
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void failedStartLeavesTheSignalHandlersAsTheyWere() {
        AtomicReference<String> seen = new AtomicReference<>();
        SignalHandler sentinel = signal -> seen.set(signal.getName());
        SignalHandler previousTerm = Signal.handle(new Signal("TERM"), sentinel);
        SignalHandler previousInt = Signal.handle(new Signal("INT"), sentinel);
        try {
            failure = new ServerStartException("stop here", null);
            assertThat(run()).isEqualTo(1);
            assertThat(run("--port", "65536")).isEqualTo(2);

            assertThat(Signal.handle(new Signal("TERM"), sentinel)).isSameAs(sentinel);
            // A JVM started with SIGINT ignored (a background job of a shell without job control) keeps it so.
            if (previousInt != SignalHandler.SIG_IGN) {
                assertThat(Signal.handle(new Signal("INT"), sentinel)).isSameAs(sentinel);
            }
        } finally {
            Signal.handle(new Signal("TERM"), previousTerm);
            Signal.handle(new Signal("INT"), previousInt);
        }
    }

    @Test
    void aSubcommandHierarchyNamesTheFullCommandAndRunsTheChosenOne() {
        assertThat(runTool("test-service", "--bogus")).isEqualTo(2);
        assertThat(err()).contains("tool test-service: Unknown option: '--bogus'")
                .contains("Try 'tool test-service --help' for more information.");

        err.reset();
        assertThat(runTool("test-service")).isEqualTo(1);
        assertThat(err()).isEqualTo("tool test-service: " + failure.getMessage() + "\n");

        assertThat(runTool("test-service", "--help")).isZero();
        assertThat(out()).contains("Usage: tool test-service");

        assertThat(runTool("count", "--times", "3")).isEqualTo(3);
    }

    @Test
    void aSubcommandRefusingItsArgumentsAsItRunsIsAUsageError() {
        assertThat(runTool("count", "--times", "-1")).isEqualTo(2);
        assertThat(err()).isEqualTo("tool count: --times must not be negative, was -1\n"
                + "Try 'tool count --help' for more information.\n");
    }

    private int runTool(String... args) {
        service = new TestService(failure);
        CommandLine tool = new CommandLine(new Tool()).addSubcommand(service)
                .addSubcommand("count", new Count());
        return ServiceLauncher.run(tool, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Command(name = "tool", mixinStandardHelpOptions = true)
    static final class Tool {
    }

    /** An ordinary subcommand: runs as picocli runs it, its result the exit status. */
    @Command(name = "count")
    static final class Count implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--times")
        int times;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (times < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--times must not be negative, was " + times);
            }
            return times;
        }
    }

    /** Runs a new command, as each process would: picocli keeps a reused command's values as its defaults. */
    private int run(String... args) {
        service = new TestService(failure);
        return ServiceLauncher.run(service, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    /** A service that maps its options like a real one, then fails to start as told (it never binds). */
    @Command(name = "test-service", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
    static final class TestService implements ServiceCommand {

        @Mixin
        CommonOptions common;

        @Option(names = "--max-connections", paramLabel = "N", defaultValue = "10")
        int maxConnections;

        private final ServerStartException failure;
        ServerConfig started;

        TestService(ServerStartException failure) {
            this.failure = failure;
        }

        @Override
        public ServerHandle start() throws ServerStartException {
            ServerConfig.Builder b = common.toBuilder();
            Validation.option("--max-connections", () -> b.maxConnections(maxConnections));
            started = b.build();
            throw failure;
        }
    }
}
