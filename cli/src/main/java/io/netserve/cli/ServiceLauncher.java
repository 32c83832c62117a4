package io.netserve.cli;

import io.netty.util.NetUtil;
import io.netserve.core.server.ServerHandle;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.tcp.TcpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a service from its command line, with the behaviour every netserve jar promises (the shared
 * options get their defaults from {@link Defaults}):
 *
 * <ul>
 *   <li>{@code --help} and {@code --version} print and return 0;</li>
 *   <li>{@code --log-format} and {@code --log-level} (of {@link CommonOptions}) are applied
 *       before the service starts;</li>
 *   <li>a bad command line prints the reason and a hint to {@code --help} on standard error and
 *       returns 2;</li>
 *   <li>a service that cannot start prints one line naming the address or transport at fault on
 *       standard error and returns 1, without a stack trace;</li>
 *   <li>once bound, it prints {@code listening on <host>:<port> (transport=<name>)} on standard
 *       output, flushed at once, with {@code , tls=on} after the transport for a TCP server
 *       serving TLS, and with an admin endpoint {@code admin on <host>:<port>};</li>
 *   <li>on SIGTERM or SIGINT it closes the server gracefully and returns 0;</li>
 *   <li>run as a process (the entry points on the standard streams), it turns Netty's leak
 *       detection off and keeps its allocator pooling large buffers, where the user set nothing.</li>
 * </ul>
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     System.exit(ServiceLauncher.run(new Main(), args));
 * }
 * }</pre>
 */
public final class ServiceLauncher {

    private static final Logger log = LoggerFactory.getLogger(ServiceLauncher.class);
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";
    static final String LOW_MEMORY = "io.netty.allocator.lowMemory";

    private ServiceLauncher() {
    }

    /**
     * Parses {@code args} into {@code command} (a picocli {@code @Command}), runs it until a
     * termination signal, and returns the exit status.
     */
    public static int run(ServiceCommand command, String... args) {
        applyNettyDefaults();
        return run(commandLine(command), System.out, System.err, args);
    }

    /**
     * A picocli command line for {@code command} with the shared options' {@link Defaults}, as the
     * launcher parses it: for tests that parse a service's options without running it.
     */
    public static CommandLine commandLine(Object command) {
        return new CommandLine(command).setDefaultValueProvider(new Defaults());
    }

    /**
     * Parses {@code args} against a command hierarchy, for jars with several subcommands: the
     * chosen subcommand runs as a service if it is a {@link ServiceCommand}, otherwise as an
     * ordinary picocli command ({@code Runnable} or {@code Callable}). Errors and help name the
     * full command, e.g. {@code samples chat-server}. Returns the exit status.
     */
    public static int run(CommandLine cli, String... args) {
        applyNettyDefaults();
        return run(cli, System.out, System.err, args);
    }

    /**
     * The runnable jars' Netty settings, set before Netty reads them and only where the user set
     * nothing (BENCHMARKS.md has the measurements):
     *
     * <ul>
     *   <li>leak detection off: its sampling costs CPU and peak memory under load, while the jars'
     *       own buffers are tested with paranoid detection
     *       ({@code -Dio.netty.leakDetection.level=simple} turns it back on);</li>
     *   <li>the adaptive allocator out of its low-memory mode, which it enters on a heap of 512 MiB
     *       or less (a 512 MiB container limit gives a 128 MiB heap) and where it pools no buffer
     *       above 16.5 KiB: a UDP service's read buffers (up to 1 MiB) were then allocated and
     *       zeroed on every read, and it answered 70 times fewer datagrams.</li>
     * </ul>
     */
    static void applyNettyDefaults() {
        if (System.getProperty(LEAK_DETECTION) == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
        if (System.getProperty(LOW_MEMORY) == null) {
            System.setProperty(LOW_MEMORY, "false");
        }
    }

    static int run(ServiceCommand command, PrintStream out, PrintStream err, String... args) {
        return run(commandLine(command), out, err, args);
    }

    /**
     * {@link #run(CommandLine, String...)} printing help, errors and the {@code listening on} line
     * to {@code out} and {@code err} instead of the process's standard streams, for a jar whose
     * tests run its commands in process.
     */
    public static int run(CommandLine cli, PrintStream out, PrintStream err, String... args) {
        if (cli.getDefaultValueProvider() == null) {
            cli.setDefaultValueProvider(new Defaults());
        }
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (ParameterException e) {
            return usageError(err, e.getCommandLine().getCommandSpec().qualifiedName(), e.getMessage());
        }
        for (CommandLine chosen : parsed.asCommandLineList()) {
            if (chosen.isUsageHelpRequested()) {
                chosen.usage(out);
                return 0;
            }
            if (chosen.isVersionHelpRequested()) {
                chosen.printVersionHelp(out);
                return 0;
            }
        }
        CommandLine leaf = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
        if (leaf.getCommand() instanceof ServiceCommand) {
            applyLogOptions(leaf);
            return serve(leaf.getCommand(), leaf.getCommandSpec().qualifiedName(), out, err);
        }
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (ParameterException e) {
            // A command that checks its arguments as it runs (e.g. operands that depend on each other).
            return usageError(err, e.getCommandLine().getCommandSpec().qualifiedName(), e.getMessage());
        }
    }

    /** Applies {@code --log-format} and {@code --log-level}, if the command has them, before it starts. */
    private static void applyLogOptions(CommandLine command) {
        OptionSpec format = command.getCommandSpec().findOption(CommonOptions.LOG_FORMAT);
        OptionSpec level = command.getCommandSpec().findOption(CommonOptions.LOG_LEVEL);
        if (format != null && level != null) {
            ConsoleLogConfigurator.apply(format.getValue(), level.getValue());
        }
    }

    private static int serve(ServiceCommand command, String name, PrintStream out, PrintStream err) {
        // Handle the signals before starting, so that one arriving while the server binds still drains it.
        CountDownLatch stop = new CountDownLatch(1);
        Signal term = new Signal("TERM");
        Signal interrupt = new Signal("INT");
        SignalHandler previousTerm = Signal.handle(term, signal -> stop.countDown());
        SignalHandler previousInt = Signal.handle(interrupt, signal -> stop.countDown());
        ServerHandle server;
        try {
            server = command.start();
        } catch (Validation.InvalidOptionException | ServerStartException e) {
            // Nothing to drain: give the signals back to whoever handled them before.
            Signal.handle(term, previousTerm);
            Signal.handle(interrupt, previousInt);
            if (e instanceof ServerStartException) {
                err.println(name + ": " + e.getMessage());
                err.flush();
                return 1;
            }
            return usageError(err, name, e.getMessage());
        }
        out.println("listening on " + NetUtil.toSocketAddressString(server.localAddress())
                + " (transport=" + server.transport().cliName() + (servesTls(server) ? ", tls=on" : "") + ")");
        server.adminAddress().ifPresent(admin -> out.println("admin on " + NetUtil.toSocketAddressString(admin)));
        out.flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("termination signal received: shutting down");
        server.close();
        return 0;
    }

    private static boolean servesTls(ServerHandle server) {
        return server instanceof TcpServer tcp && tcp.config().tls();
    }

    private static int usageError(PrintStream err, String name, String reason) {
        err.println(name + ": " + reason);
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return 2;
    }
}
