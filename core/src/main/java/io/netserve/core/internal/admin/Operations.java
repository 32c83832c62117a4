package io.netserve.core.internal.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.Addresses;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.server.ServerStartException;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What one running server shows its operators: its meters bound to a Micrometer registry (the
 * embedder's, or one of its own), and the admin endpoint when an admin port is configured. A
 * server without either never loads this class, so Micrometer stays off its start-up path.
 *
 * <pre>{@code
 * Operations ops = Operations.isWanted(config) ? Operations.start(config, "tcp", metrics, port, group, ready) : null;
 * }</pre>
 */
public final class Operations implements AutoCloseable {

    private final ServerMeters meters;
    private final AdminServer admin;

    private Operations(ServerMeters meters, AdminServer admin) {
        this.meters = meters;
        this.admin = admin;
    }

    /** Whether {@code config} asks for an admin endpoint or a meter registry. Loads no Micrometer class. */
    public static boolean isWanted(ServerConfig config) {
        return config.adminPort() != ServerConfig.ADMIN_OFF || config.meterRegistry().isPresent();
    }

    /**
     * Binds the meters of a server ({@code protocol} {@code tcp} or {@code udp}, bound to
     * {@code port}) and starts its admin endpoint if {@code config} has an admin port;
     * {@code ready} answers {@code /health/ready}.
     *
     * @throws ServerStartException if the admin endpoint cannot be bound, or has no Prometheus
     *     registry to serve {@code /metrics} from
     */
    public static Operations start(ServerConfig config, String protocol, ServerMetrics metrics, int port,
                                   EventLoopGroup loops, BooleanSupplier ready) throws ServerStartException {
        // The Prometheus registry is made in ServerMeters: this class must load no Micrometer class until start.
        MeterRegistry registry = config.meterRegistry().isPresent() ? config.meterRegistry().get()
                : ServerMeters.newPrometheusRegistry();
        ServerMeters meters = "tcp".equals(protocol) ? ServerMeters.bindTcp(registry, metrics, port, loops)
                : ServerMeters.bindUdp(registry, metrics, port, loops);
        if (config.adminPort() == ServerConfig.ADMIN_OFF) {
            return new Operations(meters, null);
        }
        try {
            if (!(registry instanceof PrometheusMeterRegistry)) {
                throw new ServerStartException("the admin endpoint serves /metrics from a PrometheusMeterRegistry; "
                        + "the configured registry is a " + registry.getClass().getSimpleName(), null);
            }
            PrometheusMeterRegistry prometheus = (PrometheusMeterRegistry) registry;
            InetSocketAddress address = Addresses.resolve(config.adminHost(), config.adminPort());
            return new Operations(meters, AdminServer.start(address, ready, prometheus::scrape));
        } catch (ServerStartException | RuntimeException e) {
            meters.close();
            throw e;
        }
    }

    /** Where the admin endpoint is bound, if there is one. */
    public Optional<InetSocketAddress> adminAddress() {
        return admin == null ? Optional.empty() : Optional.of(admin.localAddress());
    }

    /** Stops the admin endpoint and unbinds the server's meters. Idempotent. */
    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        meters.close();
    }
}
