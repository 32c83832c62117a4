package io.netserve.cli;

import io.netserve.core.config.ServerConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The per-connection limits a TCP service offers on its command line, as a picocli mixin:
 * {@code --max-connections} and {@code --write-stall-timeout}, with the defaults of {@link Defaults}.
 *
 * <pre>{@code
 * @Mixin TcpLimitOptions limits;
 * ...
 * limits.applyTo(common.toBuilder());
 * }</pre>
 */
public final class TcpLimitOptions {

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Connections open at once; one more is accepted and closed at once. Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--write-stall-timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Close a connection that has stayed unwritable (its peer stopped reading) this long; "
                    + "0 turns it off. Default: ${DEFAULT-VALUE}.")
    Duration writeStallTimeout;

    /** Sets these limits on {@code builder}; a value out of range is reported naming its option. */
    public ServerConfig.Builder applyTo(ServerConfig.Builder builder) {
        Validation.option("--max-connections", () -> builder.maxConnections(maxConnections));
        Validation.option("--write-stall-timeout", () -> builder.writeStallTimeout(writeStallTimeout));
        return builder;
    }
}
