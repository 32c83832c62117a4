package io.netserve.samples.counter;

import io.netserve.cli.CommonOptions;
import io.netserve.cli.Converters;
import io.netserve.cli.ServiceCommand;
import io.netserve.cli.UdpGuardOptions;
import io.netserve.cli.Validation;
import io.netserve.cli.VersionProvider;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.udp.UdpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * {@code udp-counter-server}: serves {@link CounterProtocol} through {@link UdpServer}, behind its
 * guards (oversize, privileged source ports, and an optional per-source rate limit).
 */
@Command(name = "udp-counter-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Answers each UDP datagram with '<n> <text>', n counting the datagrams of the sender's "
                + "session, which ends after --session-timeout of silence or when --max-sessions newer peers push "
                + "it out; the count then starts again at 1. Datagrams over " + CounterProtocol.MAX_TEXT
                + " bytes are dropped.")
public final class UdpCounterServerCommand implements ServiceCommand {

    @Mixin
    CommonOptions common;

    @Mixin
    UdpGuardOptions guards;

    @Option(names = "--session-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = Converters.DurationConverter.class,
            description = "Silence after which a peer's session ends. Default: ${DEFAULT-VALUE}.")
    Duration sessionTimeout;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "" + CounterProtocol.DEFAULT_MAX_SESSIONS,
            description = "Most sessions per I/O thread; a new peer beyond it ends the least recently active "
                    + "session. Default: ${DEFAULT-VALUE}.")
    int maxSessions;

    @Override
    public UdpServer start() throws ServerStartException {
        // The timeout alone first, so that a bad one is named as such.
        Validation.value("--session-timeout", () -> new CounterProtocol(sessionTimeout, 1));
        CounterProtocol counter = Validation.value("--max-sessions",
                () -> new CounterProtocol(sessionTimeout, maxSessions));
        ServerConfig.Builder b = common.toBuilder().maxDatagramSize(CounterProtocol.MAX_TEXT);
        guards.applyTo(b);
        return UdpServer.start(b.build(), counter);
    }
}
