package io.netserve.cli;

import io.netserve.core.Transport;
import io.netserve.core.tcp.TcpServer;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code --version} for netserve services: the command's name and version, then each transport
 * with "available" or the native loader's reason, so an operator sees why {@code auto} chose what
 * it chose; for a command with {@link TlsOptions} (or subcommands with them), the TLS providers
 * likewise.
 */
public final class VersionProvider implements IVersionProvider {

    @Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() {
        Object command = spec == null ? null : spec.userObject();
        String version = command == null ? null : command.getClass().getPackage().getImplementationVersion();
        String name = spec == null ? "netserve" : spec.name();
        String transports = Transport.availabilityReport().stripTrailing();
        String text = name + " " + (version == null ? "(development build)" : version) + System.lineSeparator()
                + "transports:" + System.lineSeparator() + transports.indent(2).stripTrailing();
        if (spec != null && offersTls(spec)) {
            text += System.lineSeparator() + "tls providers:" + System.lineSeparator()
                    + TcpServer.tlsProviderReport().stripTrailing().indent(2).stripTrailing();
        }
        return text.split(System.lineSeparator());
    }

    private static boolean offersTls(CommandSpec command) {
        return command.mixins().values().stream().anyMatch(mixin -> mixin.userObject() instanceof TlsOptions)
                || command.subcommands().values().stream().map(CommandLine::getCommandSpec).anyMatch(VersionProvider::offersTls);
    }
}
