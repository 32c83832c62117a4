package io.netserve.cli;

import ch.qos.logback.classic.Level;
import io.netserve.core.Transport;
import io.netserve.core.config.ServerConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The options every netserve service shares on its command line, as a picocli mixin:
 * {@code --host}, {@code --port}, {@code --transport}, {@code --io-threads},
 * {@code --shutdown-timeout}, and the operations options {@code --admin-port},
 * {@code --admin-host}, {@code --reuse-port}, {@code --drain-delay} and
 * {@code --max-buffered-bytes}, with the defaults of {@link Defaults}; and {@code --log-format} and
 * {@code --log-level}, which {@link ServiceLauncher} applies itself right after parsing.
 *
 * <pre>{@code
 * @Mixin CommonOptions common;
 * ...
 * ServerConfig.Builder builder = common.toBuilder();
 * }</pre>
 */
public final class CommonOptions {

    /** The name of the log format option. */
    static final String LOG_FORMAT = "--log-format";
    /** The name of the log level option. */
    static final String LOG_LEVEL = "--log-level";

    @Option(names = "--host", paramLabel = "HOST",
            description = "Address to bind: a name, an IPv4 or an IPv6 literal (::1, ::). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "N",
            description = "Port to bind, 0 to 65535; 0 lets the OS pick one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--transport", paramLabel = "auto|nio|epoll|io_uring|kqueue",
            converter = Converters.TransportConverter.class,
            description = "I/O transport; auto takes the best native one that loads (epoll or io_uring on Linux, "
                    + "kqueue on macOS), else nio. Default: ${DEFAULT-VALUE}.")
    Transport transport;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "Event-loop threads. Default: the number of cores.")
    Integer ioThreads;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Longest graceful drain after SIGTERM/SIGINT (250ms, 30s, 5m). Default: ${DEFAULT-VALUE}.")
    Duration shutdownTimeout;

    @Option(names = "--admin-port", paramLabel = "N",
            description = "Serve /health/live, /health/ready and /metrics over HTTP/1.1 on this port; 0 lets the OS "
                    + "pick one. Default: off.")
    Integer adminPort;

    @Option(names = "--admin-host", paramLabel = "HOST",
            description = "Address of the admin endpoint. Default: ${DEFAULT-VALUE}.")
    String adminHost;

    @Option(names = "--reuse-port",
            description = "Let other processes bind the same address and port (SO_REUSEPORT); the kernel spreads new "
                    + "connections or datagrams among them. Off by default.")
    boolean reusePort;

    @Option(names = "--drain-delay", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "After SIGTERM/SIGINT, report not ready at once but go on serving, new connections included, "
                    + "this long before the drain begins; 0 turns it off. Default: ${DEFAULT-VALUE}.")
    Duration drainDelay;

    @Option(names = "--max-buffered-bytes", paramLabel = "BYTES", converter = Converters.ByteSizeConverter.class,
            description = "Bytes waiting to be sent, summed over all connections, past which the ones owing the most "
                    + "stop being read from (1048576, 64m, 1g). Default: ${DEFAULT-VALUE}.")
    long maxBufferedBytes;

    @Option(names = LOG_FORMAT, paramLabel = "text|json", converter = Converters.LogFormatConverter.class,
            description = "Each log event as one line of text, or as one JSON object a line. Default: ${DEFAULT-VALUE}.")
    LogFormat logFormat;

    @Option(names = LOG_LEVEL, paramLabel = "error|warn|info|debug|trace", converter = Converters.LogLevelConverter.class,
            description = "The lowest level logged. Default: the environment variable "
                    + ConsoleLogConfigurator.LEVEL_ENVIRONMENT + " if set, else info.")
    Level logLevel;

    /**
     * A configuration builder holding these options; a value out of range is reported by
     * {@link ServiceLauncher} as a command-line error naming the option.
     */
    public ServerConfig.Builder toBuilder() {
        ServerConfig.Builder b = ServerConfig.builder();
        Validation.option("--host", () -> b.host(host));
        Validation.option("--port", () -> b.port(port));
        b.transport(transport);
        if (ioThreads != null) {
            Validation.option("--io-threads", () -> b.ioThreads(ioThreads));
        }
        Validation.option("--shutdown-timeout", () -> b.shutdownTimeout(shutdownTimeout));
        if (adminPort != null) {
            Validation.option("--admin-port", () -> b.adminPort(adminPort));
            b.meterRegistry(AdminRegistry.create());
        }
        Validation.option("--admin-host", () -> b.adminHost(adminHost));
        Validation.option("--drain-delay", () -> b.drainDelay(drainDelay));
        Validation.option("--max-buffered-bytes", () -> b.maxBufferedBytes(maxBufferedBytes));
        return b.reusePort(reusePort);
    }
}
