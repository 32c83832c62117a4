package io.netserve.samples.embed;

import io.netserve.cli.ConsoleLogConfigurator;
import io.netserve.cli.VersionProvider;
import io.netserve.core.config.ServerConfig;
import io.netty.util.NetUtil;
import io.netserve.core.server.ServerStartException;
import io.netserve.samples.client.ClientException;
import io.netserve.samples.kv.KvClient;
import io.netserve.samples.kv.KvRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code embed}: runs {@link KvService} the way an application would: starts it on OS-chosen
 * ports, calls its own kv-server through {@link KvService#client()} (core's client on the server's
 * event loops) to check that it answers, prints the bound ports, serves until standard input ends
 * (or a line is entered), then stops it and says so. Exit status 0, or 1 if it cannot start.
 */
@Command(name = "embed", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Runs KvService, an ordinary Java service that owns a key-value store, the TcpServer serving "
                + "it and a UdpServer counting each peer's datagrams: starts it on OS-chosen ports, prints "
                + "'kv service started: tcp HOST:PORT, udp HOST:PORT', serves until Enter or the end of standard "
                + "input, then stops it and prints 'kv service stopped'.",
                "Talk to it with kv-client --port PORT and udp-client --port PORT."})
public final class EmbedCommand implements Callable<Integer> {

    /** The key the start-up check reads through the network; it need not exist. */
    private static final String SELF_CHECK_KEY = "embed.self-check";

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address to bind. Default: ${DEFAULT-VALUE}.")
    String host;

    private final InputStream stdin;

    /** Runs until {@code System.in} ends or a line is entered. */
    public EmbedCommand() {
        this(System.in);
    }

    /** Runs until {@code stdin} ends or a line is entered. */
    public EmbedCommand(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        KvService service;
        try {
            service = new KvService(ServerConfig.builder().host(host).port(0).build());
            service.start();
        } catch (ServerStartException | IllegalArgumentException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        try (KvClient self = service.client()) {
            self.send(KvRequest.get(SELF_CHECK_KEY)); // any answer: the kv-server serves over the network
        } catch (IOException | ClientException e) {
            service.stop();
            spec.commandLine().getErr().println(spec.qualifiedName() + ": its own kv-server does not answer: "
                    + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        Thread onSignal = new Thread(service::stop, "kv-service-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            out.println("kv service started: tcp " + NetUtil.toSocketAddressString(service.tcpAddress())
                    + ", udp " + NetUtil.toSocketAddressString(service.udpAddress()));
            out.flush();
            awaitEnterOrEnd();
        } finally {
            service.stop();
            removeHook(onSignal);
        }
        ConsoleLogConfigurator.flush(Duration.ofSeconds(1));   // the servers' shutdown lines first
        out.println("kv service stopped");
        out.flush();
        return 0;
    }

    private void awaitEnterOrEnd() {
        try {
            for (int b; (b = stdin.read()) >= 0 && b != '\n'; ) {
                // Wait for the end of the first line.
            }
        } catch (IOException e) {
            // Standard input is gone: stop as at its end.
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running or has run.
        }
    }
}
