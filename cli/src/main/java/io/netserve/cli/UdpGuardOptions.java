package io.netserve.cli;

import io.netserve.core.config.ServerConfig;
import picocli.CommandLine.Option;

/**
 * The datagram guards a UDP service offers on its command line, as a picocli mixin:
 * {@code --rate-limit} and {@code --allow-privileged-source-ports}, with the defaults of {@link Defaults}.
 *
 * <pre>{@code
 * @Mixin UdpGuardOptions guards;
 * ...
 * guards.applyTo(common.toBuilder());
 * }</pre>
 */
public final class UdpGuardOptions {

    @Option(names = "--rate-limit", paramLabel = "PPS",
            description = "Datagrams per second answered for each source address; 0 is unlimited. "
                    + "Default: ${DEFAULT-VALUE}.")
    int rateLimit;

    @Option(names = "--allow-privileged-source-ports",
            description = "Also answer datagrams whose source port is below 1024. Off by default: it stops "
                    + "echo loops between reflectors such as echo/7 and chargen/19.")
    boolean allowPrivilegedSourcePorts;

    /** Sets these guards on {@code builder}; a value out of range is reported naming its option. */
    public ServerConfig.Builder applyTo(ServerConfig.Builder builder) {
        Validation.option("--rate-limit", () -> builder.rateLimitPerSecond(rateLimit));
        return builder.allowPrivilegedSourcePorts(allowPrivilegedSourcePorts);
    }
}
