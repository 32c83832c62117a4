package io.netserve.cli;

import io.netserve.core.Transport;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code --version} for netserve services: the command's name and version, then each transport
 * with "available" or the native loader's reason, so an operator sees why {@code auto} chose what
 * it chose.
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
        return (name + " " + (version == null ? "(development build)" : version) + System.lineSeparator()
                + "transports:" + System.lineSeparator() + transports.indent(2).stripTrailing())
                .split(System.lineSeparator());
    }
}
