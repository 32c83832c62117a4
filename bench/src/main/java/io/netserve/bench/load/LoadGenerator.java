package io.netserve.bench.load;

import io.netty.util.NetUtil;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;

/**
 * The end-to-end load generator for echo servers, on Netty with the native transport: one
 * subcommand per scenario, every echoed byte checked, HdrHistogram round trips, one short table
 * and one {@code RESULT {json}} line per run.
 *
 * <pre>
 * java -cp bench/target/netserve-bench.jar io.netserve.bench.load.LoadGenerator tcp-throughput --port 7000 --conns 16 --size 64 --pipeline 16
 * java -cp bench/target/netserve-bench.jar io.netserve.bench.load.LoadGenerator udp-throughput --port 7000 --conns 8 --size 64 --window 16 --timeout-ms 100
 * java -cp bench/target/netserve-bench.jar io.netserve.bench.load.LoadGenerator tcp-idle --port 7000 --conns 10000 --hold 10 --server-pid 1234
 * </pre>
 *
 * Exit status: 0 when the run went to its end with every echo right; 1 when the server refused,
 * closed, failed or stopped answering; 2 for a usage error; 3 when an echo did not match what was
 * sent. It runs one event loop unless told otherwise, so that pinned to one core
 * ({@code taskset -c 0}) it stays on it. Figures are only comparable within one run on one
 * machine: measure a baseline server in the same run and compare ratios ({@code scripts/bench.sh}).
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Drives an echo server, checks every echoed byte, and reports throughput and round trips.",
        subcommands = {
            LoadGenerator.TcpThroughput.class,
            LoadGenerator.TcpLatency.class,
            LoadGenerator.TcpConnectRate.class,
            LoadGenerator.UdpThroughput.class,
            LoadGenerator.UdpLatency.class,
            LoadGenerator.TcpIdle.class,
        })
public final class LoadGenerator implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status; see the class comment. */
    public static void main(String[] args) {
        // A load generator checks every byte it gets back; leak tracking would only slow it down.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        // Netty's own logging goes to java.util.logging: nothing to configure, warnings only.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line, printing results on {@code out} and failures on {@code err}.
     *
     * @return the exit status (0 ok, 1 server failure, 2 usage error, 3 mismatch)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new LoadGenerator());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UsageException) {
                err.println("loadgen: " + e.getMessage());
                err.println("Try 'loadgen " + line.getCommandName() + " --help'.");
                return 2;
            }
            err.println("loadgen: " + e);
            return 1;
        });
        for (CommandLine sub : cl.getSubcommands().values()) {
            ((ScenarioCommand) sub.getCommand()).streams(out, err);
        }
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a scenario is required");
    }

    /** A wrong option value, reported as a usage error (exit status 2). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new UsageException(message);
        }
    }

    /** {@code host:port}, IPv6 in brackets. */
    static String format(InetSocketAddress address) {
        return NetUtil.toSocketAddressString(address);
    }

    static String format(String host, int port) {
        return NetUtil.toSocketAddressString(host, port);
    }

    /** What every scenario subcommand does: validate, run, report, map the outcome to a status. */
    abstract static class ScenarioCommand implements Callable<Integer> {
        @Mixin
        LoadOptions common;

        private PrintStream out = System.out;
        private PrintStream err = System.err;

        void streams(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        /** Checks this scenario's options and builds it. */
        abstract Scenario scenario();

        @Override
        public Integer call() throws Exception {
            common.validate();
            Scenario scenario = scenario();
            ClientTransport transport;
            try {
                transport = common.clientTransport().resolve();
            } catch (IllegalStateException e) {
                err.println("loadgen: " + e.getMessage());
                return 1;
            }
            InetSocketAddress server;
            try {
                server = new InetSocketAddress(InetAddress.getByName(common.host), common.port);
            } catch (UnknownHostException e) {
                throw new UsageException("--host: cannot resolve '" + common.host + "'");
            }
            Report report;
            try (Run run = new Run(common, transport, server)) {
                scenario.execute(run);
                report = Report.of(scenario, run, common);
            }
            report.print(out);
            Object message = report.fields().get("message");
            String outcome = (String) report.fields().get("outcome");
            if (message != null) {
                err.println("loadgen: " + (outcome.equals(Outcome.MISMATCH.label()) ? "MISMATCH: " : "") + message);
            }
            for (Outcome o : Outcome.values()) {
                if (o.label().equals(outcome)) {
                    return o.exitStatus();
                }
            }
            return 1;
        }
    }

    @Command(name = "tcp-throughput", mixinStandardHelpOptions = true, sortOptions = false,
            description = "N connections, each with K messages of S bytes in flight: msgs/s, MiB/s, round trips.")
    static final class TcpThroughput extends ScenarioCommand {
        @Option(names = "--conns", defaultValue = "16", description = "Connections. Default: ${DEFAULT-VALUE}.")
        int conns;

        @Option(names = "--size", defaultValue = "64", description = "Message size in bytes. Default: ${DEFAULT-VALUE}.")
        int size;

        @Option(names = "--pipeline", defaultValue = "16",
                description = "Messages in flight per connection. Default: ${DEFAULT-VALUE}.")
        int pipeline;

        @Override
        Scenario scenario() {
            tcpLimits(conns, size);
            require(pipeline >= 1 && pipeline <= 65_536, "--pipeline must be 1 to 65536, was " + pipeline);
            return new TcpStreamScenario("tcp-throughput", conns, size, pipeline);
        }
    }

    @Command(name = "tcp-latency", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Ping-pong: one message in flight per connection; round-trip percentiles.")
    static final class TcpLatency extends ScenarioCommand {
        @Option(names = "--conns", defaultValue = "1", description = "Connections. Default: ${DEFAULT-VALUE}.")
        int conns;

        @Option(names = "--size", defaultValue = "64", description = "Message size in bytes. Default: ${DEFAULT-VALUE}.")
        int size;

        @Override
        Scenario scenario() {
            tcpLimits(conns, size);
            return new TcpStreamScenario("tcp-latency", conns, size, 1);
        }
    }

    @Command(name = "tcp-connect-rate", mixinStandardHelpOptions = true, sortOptions = false,
            description = "N loops of: connect, send a small message, read its echo, close; connections/s.")
    static final class TcpConnectRate extends ScenarioCommand {
        @Option(names = "--conns", defaultValue = "4", description = "Concurrent connect loops. Default: ${DEFAULT-VALUE}.")
        int conns;

        @Option(names = "--size", defaultValue = "1", description = "Message size in bytes. Default: ${DEFAULT-VALUE}.")
        int size;

        @Override
        Scenario scenario() {
            require(conns >= 1 && conns <= 10_000, "--conns must be 1 to 10000, was " + conns);
            require(size >= 1 && size <= Payloads.MAX_CHUNK, "--size must be 1 to " + Payloads.MAX_CHUNK + ", was " + size);
            return new TcpConnectScenario(conns, size);
        }
    }

    @Command(name = "udp-throughput", mixinStandardHelpOptions = true, sortOptions = false,
            description = "N connected sockets, each with K datagrams in flight; replies/s and lost datagrams.")
    static final class UdpThroughput extends ScenarioCommand {
        @Option(names = "--conns", defaultValue = "8", description = "Sockets. Default: ${DEFAULT-VALUE}.")
        int conns;

        @Option(names = "--size", defaultValue = "64", description = "Datagram size in bytes, at least 16. Default: ${DEFAULT-VALUE}.")
        int size;

        @Option(names = "--window", defaultValue = "16", description = "Datagrams in flight per socket. Default: ${DEFAULT-VALUE}.")
        int window;

        @Option(names = "--timeout-ms", defaultValue = "100",
                description = "A datagram whose reply has not come in this long is lost and sent anew. Default: ${DEFAULT-VALUE}.")
        int timeoutMs;

        @Option(names = "--gso", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Send each socket's batch of datagrams as one UDP_SEGMENT send where the transport "
                        + "(epoll) and the kernel can; the server still receives separate datagrams. "
                        + "--no-gso sends them with sendmmsg, as ../shared/bench's C loadgen does. Default: on.")
        boolean gso;

        @Override
        Scenario scenario() {
            udpLimits(conns, size, timeoutMs);
            require(window >= 1 && window <= 65_536, "--window must be 1 to 65536, was " + window);
            return new UdpScenario("udp-throughput", conns, size, window, timeoutMs, gso);
        }
    }

    @Command(name = "udp-latency", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Ping-pong: one datagram in flight per socket; round-trip percentiles.")
    static final class UdpLatency extends ScenarioCommand {
        @Option(names = "--conns", defaultValue = "1", description = "Sockets. Default: ${DEFAULT-VALUE}.")
        int conns;

        @Option(names = "--size", defaultValue = "64", description = "Datagram size in bytes, at least 16. Default: ${DEFAULT-VALUE}.")
        int size;

        @Option(names = "--timeout-ms", defaultValue = "100",
                description = "A datagram whose reply has not come in this long is lost and sent anew. Default: ${DEFAULT-VALUE}.")
        int timeoutMs;

        @Override
        Scenario scenario() {
            udpLimits(conns, size, timeoutMs);
            return new UdpScenario("udp-latency", conns, size, 1, timeoutMs, false);
        }
    }

    @Command(name = "tcp-idle", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Opens N idle connections (each proven by a one-byte echo) and reports how long that took,",
                "measures a fresh connection's round trip while they are open, holds them, and with --server-pid",
                "reports the server's VmRSS before and with them."})
    static final class TcpIdle extends ScenarioCommand {
        @Option(names = "--conns", defaultValue = "10000", description = "Idle connections. Default: ${DEFAULT-VALUE}.")
        int conns;

        @Option(names = "--size", defaultValue = "64",
                description = "Message size of the round-trip probe, in bytes. Default: ${DEFAULT-VALUE}.")
        int size;

        @Option(names = "--hold", paramLabel = "SECONDS", defaultValue = "0",
                description = "Keep them open until this long after they were all open (at least the probe's time). "
                        + "Default: ${DEFAULT-VALUE}.")
        double hold;

        @Option(names = "--concurrency", defaultValue = "128",
                description = "Connections being set up at a time. Default: ${DEFAULT-VALUE}.")
        int concurrency;

        @Override
        Scenario scenario() {
            require(conns >= 1 && conns <= 1_000_000, "--conns must be 1 to 1000000, was " + conns);
            require(size >= 1 && size <= 1 << 24, "--size must be 1 to 16777216, was " + size);
            require(hold >= 0 && hold <= 86_400, "--hold must be 0 to 86400 seconds, was " + hold);
            require(concurrency >= 1 && concurrency <= 65_536, "--concurrency must be 1 to 65536, was " + concurrency);
            return new TcpIdleScenario(conns, size, hold, concurrency);
        }
    }

    private static void tcpLimits(int conns, int size) {
        require(conns >= 1 && conns <= 100_000, "--conns must be 1 to 100000, was " + conns);
        require(size >= 1 && size <= 1 << 24, "--size must be 1 to 16777216, was " + size);
    }

    private static void udpLimits(int conns, int size, int timeoutMs) {
        require(conns >= 1 && conns <= 10_000, "--conns must be 1 to 10000, was " + conns);
        require(size >= UdpScenario.HEADER && size <= 65_507,
                "--size must be " + UdpScenario.HEADER + " to 65507 for UDP, was " + size);
        require(timeoutMs >= 1 && timeoutMs <= 60_000, "--timeout-ms must be 1 to 60000, was " + timeoutMs);
    }
}
