package io.netserve.samples.client;

import io.netserve.cli.Converters;
import io.netserve.core.config.ClientConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;

/**
 * The options every sample client shares, as a picocli mixin: where to connect ({@code --host},
 * {@code --port}, IPv4 or IPv6) and how long to wait ({@code --timeout}, for the connection and
 * for each reply), as core's client configuration.
 *
 * <pre>{@code
 * @Mixin ClientOptions connection;
 * ...
 * try (UdpClient client = UdpClient.bind(connection.config().build())) { ... }
 * }</pre>
 */
public final class ClientOptions {

    private static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Server to connect to: a name, an IPv4 or an IPv6 literal (::1). Default: ${DEFAULT-VALUE}.")
    String host;

    private int port;

    private Duration timeout;

    @Option(names = "--port", paramLabel = "N", defaultValue = "65432",
            description = "Server port, 1 to 65535. Default: ${DEFAULT-VALUE}.")
    void port(int port) {
        if (port < 1 || port > 65_535) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--port': port must be between 1 and 65535, was " + port);
        }
        this.port = port;
    }

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = Converters.DurationConverter.class,
            description = "Longest wait for the connection and for each reply (250ms, 5s, 1m); 0 waits forever. "
                    + "Default: ${DEFAULT-VALUE}.")
    void timeout(Duration timeout) {
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--timeout': at most 24h, was " + timeout);
        }
        this.timeout = timeout;
    }

    /**
     * The configuration of a client of the server, whose connect and request timeouts are
     * {@code --timeout} (zero: none), for the command to add to.
     */
    public ClientConfig.Builder config() {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return ClientConfig.builder(name, port).connectTimeout(timeout).requestTimeout(timeout);
    }

    /** The wait for the connection and for each reply; zero waits forever. */
    public Duration timeout() {
        return timeout;
    }
}
