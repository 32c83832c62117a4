package io.netserve.echo.tcp;

import io.netserve.core.cli.CommonOptions;
import io.netserve.core.cli.Converters;
import io.netserve.core.cli.ServiceCommand;
import io.netserve.core.cli.ServiceLauncher;
import io.netserve.core.cli.Validation;
import io.netserve.core.cli.VersionProvider;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.server.TcpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The {@code echo-tcp} command: maps the command line of the contract onto core's configuration. */
@Command(name = "echo-tcp", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Echoes every byte received on each TCP connection back to its sender.")
public final class Main implements ServiceCommand {

    @Mixin
    CommonOptions common;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "300s",
            converter = Converters.DurationConverter.class,
            description = "Close a connection that has neither read nor written for this long; 0 turns it off. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "10000",
            description = "Connections open at once; one more is accepted and closed at once. Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--write-stall-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = Converters.DurationConverter.class,
            description = "Close a connection that has stayed unwritable (its peer stopped reading) this long; "
                    + "0 turns it off. Default: ${DEFAULT-VALUE}.")
    Duration writeStallTimeout;

    /** Runs the TCP echo service; see the contract for the command line and exit statuses. */
    public static void main(String[] args) {
        System.exit(ServiceLauncher.run(new Main(), args));
    }

    @Override
    public TcpServer start() throws ServerStartException {
        return TcpServer.start(config(), pipeline -> pipeline.addLast("echo", EchoHandler.INSTANCE));
    }

    ServerConfig config() {
        ServerConfig.Builder b = common.toBuilder();
        Validation.option("--idle-timeout", () -> b.allIdleTimeout(idleTimeout));
        Validation.option("--max-connections", () -> b.maxConnections(maxConnections));
        Validation.option("--write-stall-timeout", () -> b.writeStallTimeout(writeStallTimeout));
        return b.build();
    }
}
