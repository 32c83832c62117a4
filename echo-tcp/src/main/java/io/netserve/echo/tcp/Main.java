package io.netserve.echo.tcp;

import io.netserve.core.cli.CommonOptions;
import io.netserve.core.cli.Converters;
import io.netserve.core.cli.ServiceCommand;
import io.netserve.core.cli.ServiceLauncher;
import io.netserve.core.cli.TcpLimitOptions;
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

    @Mixin
    TcpLimitOptions limits;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "300s",
            converter = Converters.DurationConverter.class,
            description = "Close a connection that has neither read nor written for this long; 0 turns it off. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

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
        limits.applyTo(b);
        return b.build();
    }
}
