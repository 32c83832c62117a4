package io.netserve.samples.upper;

import io.netserve.cli.CommonOptions;
import io.netserve.cli.IdleTimeoutOption;
import io.netserve.cli.ServiceCommand;
import io.netserve.cli.TcpOptions;
import io.netserve.cli.VersionProvider;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.tcp.TcpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code upper-server}: serves {@link UpperProtocol} with every option of {@code echo-tcp}. */
@Command(name = "upper-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Answers each line with the same line in upper case (the smallest sample protocol). "
                + "A line over " + UpperProtocol.MAX_LINE + " bytes closes the connection.")
public final class UpperServerCommand implements ServiceCommand {

    @Mixin
    CommonOptions common;

    @Mixin
    IdleTimeoutOption idle;

    @Mixin
    TcpOptions tcp;

    @Override
    public TcpServer start() throws ServerStartException {
        return TcpServer.start(tcp.applyTo(idle.applyTo(common.toBuilder())).build(), new UpperProtocol());
    }
}
