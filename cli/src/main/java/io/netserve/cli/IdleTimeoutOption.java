package io.netserve.cli;

import io.netserve.core.config.ServerConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * {@code --idle-timeout} of a TCP service whose idle connections are simply closed, as a picocli
 * mixin. (A protocol with its own idle policy, such as the chat sample, says in its own words what
 * the timeout does.)
 *
 * <pre>{@code
 * @Mixin IdleTimeoutOption idle;
 * ...
 * idle.applyTo(common.toBuilder());
 * }</pre>
 */
public final class IdleTimeoutOption {

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Close a connection that has neither read nor written for this long; 0 turns it off. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    /** Sets the timeout on {@code builder}; a value out of range is reported naming the option. */
    public ServerConfig.Builder applyTo(ServerConfig.Builder builder) {
        Validation.option("--idle-timeout", () -> builder.allIdleTimeout(idleTimeout));
        return builder;
    }
}
