package io.netserve.echo.udp;

import io.netserve.cli.CommonOptions;
import io.netserve.cli.ServiceCommand;
import io.netserve.cli.ServiceLauncher;
import io.netserve.cli.UdpGuardOptions;
import io.netserve.cli.Validation;
import io.netserve.cli.VersionProvider;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.udp.UdpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code echo-udp} command: maps the command line of the contract onto core's configuration. */
@Command(name = "echo-udp", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Answers each UDP datagram once, to its sender, with the same bytes.")
public final class Main implements ServiceCommand {

    @Mixin
    CommonOptions common;

    @Mixin
    UdpGuardOptions guards;

    @Option(names = "--max-datagram-size", paramLabel = "BYTES",
            description = "Largest datagram read whole, 1 to 65507; larger ones are dropped, not cut. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxDatagramSize;

    /** Runs the UDP echo service; see the contract for the command line and exit statuses. */
    public static void main(String[] args) {
        System.exit(ServiceLauncher.run(new Main(), args));
    }

    @Override
    public UdpServer start() throws ServerStartException {
        return UdpServer.start(config(), pipeline -> pipeline.addLast("echo", EchoHandler.INSTANCE));
    }

    ServerConfig config() {
        ServerConfig.Builder b = common.toBuilder();
        Validation.option("--max-datagram-size", () -> b.maxDatagramSize(maxDatagramSize));
        guards.applyTo(b);
        return b.build();
    }
}
