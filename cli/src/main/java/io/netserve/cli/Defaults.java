package io.netserve.cli;

import io.netserve.core.Transport;
import io.netserve.core.config.Durations;
import io.netserve.core.config.ServerConfig;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Map;

/**
 * The defaults of the shared options, taken from {@link ServerConfig}'s own constants, so the
 * command line, its {@code --help} ({@code ${DEFAULT-VALUE}}) and the configuration cannot drift
 * apart. {@link ServiceLauncher} installs it; an option that names its own {@code defaultValue}
 * keeps it.
 */
public final class Defaults implements IDefaultValueProvider {

    /** The port a netserve service listens on when none is given: the echo tutorial's. */
    public static final int PORT = 65432;

    private static final Map<String, String> VALUES = Map.ofEntries(
            Map.entry("--host", ServerConfig.DEFAULT_HOST),
            Map.entry("--port", String.valueOf(PORT)),
            Map.entry("--transport", Transport.AUTO.cliName()),
            Map.entry("--shutdown-timeout", Durations.format(ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT)),
            Map.entry("--idle-timeout", Durations.format(ServerConfig.DEFAULT_IDLE_TIMEOUT)),
            Map.entry("--max-connections", String.valueOf(ServerConfig.DEFAULT_MAX_CONNECTIONS)),
            Map.entry("--write-stall-timeout", Durations.format(ServerConfig.DEFAULT_WRITE_STALL_TIMEOUT)),
            Map.entry("--max-datagram-size", String.valueOf(ServerConfig.DEFAULT_MAX_DATAGRAM_SIZE)),
            Map.entry("--rate-limit", String.valueOf(ServerConfig.DEFAULT_RATE_LIMIT_PER_SECOND)),
            Map.entry("--admin-host", ServerConfig.DEFAULT_ADMIN_HOST),
            Map.entry("--drain-delay", Durations.format(ServerConfig.DEFAULT_DRAIN_DELAY)),
            Map.entry("--max-buffered-bytes", String.valueOf(ServerConfig.DEFAULT_MAX_BUFFERED_BYTES)),
            Map.entry(CommonOptions.LOG_FORMAT, LogFormat.TEXT.cliName()));

    /** The default of every shared option, by its long name: what the README's tables say. */
    public static Map<String, String> values() {
        return VALUES;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg.defaultValue() != null || !(arg instanceof OptionSpec)) {
            return null;
        }
        return VALUES.get(((OptionSpec) arg).longestName());
    }
}
