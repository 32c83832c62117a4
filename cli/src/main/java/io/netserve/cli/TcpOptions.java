package io.netserve.cli;

import io.netserve.core.config.ServerConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The options of a TCP service beyond the common ones, as a picocli mixin:
 * {@code --max-connections}, {@code --write-stall-timeout} and {@code --proxy-protocol}, with the
 * defaults of {@link Defaults}.
 *
 * <pre>{@code
 * @Mixin TcpOptions tcp;
 * ...
 * tcp.applyTo(common.toBuilder());
 * }</pre>
 */
public final class TcpOptions {

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Connections open at once; one more is accepted and closed at once. Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--write-stall-timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Close a connection that has stayed unwritable (its peer stopped reading) this long; "
                    + "0 turns it off. Default: ${DEFAULT-VALUE}.")
    Duration writeStallTimeout;

    @Option(names = "--proxy-protocol",
            description = "Every connection starts with a PROXY protocol header (v1 or v2, as HAProxy and cloud load "
                    + "balancers send): its client address names the peer in logs and limits; a connection whose "
                    + "header is missing or malformed is closed.")
    boolean proxyProtocol;

    /** Sets these options on {@code builder}; a value out of range is reported naming its option. */
    public ServerConfig.Builder applyTo(ServerConfig.Builder builder) {
        Validation.option("--max-connections", () -> builder.maxConnections(maxConnections));
        Validation.option("--write-stall-timeout", () -> builder.writeStallTimeout(writeStallTimeout));
        return builder.proxyProtocol(proxyProtocol);
    }
}
