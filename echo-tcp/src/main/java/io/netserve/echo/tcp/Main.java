package io.netserve.echo.tcp;

import io.netserve.cli.CommonOptions;
import io.netserve.cli.IdleTimeoutOption;
import io.netserve.cli.ServiceCommand;
import io.netserve.cli.ServiceLauncher;
import io.netserve.cli.TcpOptions;
import io.netserve.cli.TlsOptions;
import io.netserve.cli.VersionProvider;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.tcp.TcpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code echo-tcp} command: maps the command line of the contract onto core's configuration. */
@Command(name = "echo-tcp", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Echoes every byte received on each TCP connection back to its sender.")
public final class Main implements ServiceCommand {

    @Mixin
    CommonOptions common;

    @Mixin
    IdleTimeoutOption idle;

    @Mixin
    TcpOptions limits;

    @Mixin
    TlsOptions tls;

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
        idle.applyTo(b);
        limits.applyTo(b);
        tls.applyTo(b);
        return b.build();
    }
}
