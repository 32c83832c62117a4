package io.netserve.cli;

import io.netserve.core.server.ServerHandle;
import io.netserve.core.server.ServerStartException;

/**
 * A service's command: a picocli {@code @Command} class whose options {@link ServiceLauncher} has
 * filled in, and which starts the service from them.
 */
public interface ServiceCommand {

    /**
     * Starts the service from the parsed options.
     *
     * @throws ServerStartException when it cannot start (exit status 1)
     * @throws IllegalArgumentException through {@link Validation#option} for an option out of range (exit status 2)
     */
    ServerHandle start() throws ServerStartException;
}
