package io.netserve.core.pipeline;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.flow.BackpressureHandler;
import io.netserve.core.flow.WriteStallHandler;
import io.netserve.core.idle.IdleDetectionHandler;
import io.netserve.core.idle.IdlePolicyHandler;
import io.netserve.core.limit.ConnectionLimitHandler;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.metrics.TrafficMetricsHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;

import java.util.Objects;

/**
 * Builds the pipeline of each accepted TCP connection from a {@link ServerConfig} and a
 * {@link Protocol}, always in this order:
 *
 * <pre>
 *   limit        ConnectionLimitHandler    closes connections past maxConnections
 *   metrics      TrafficMetricsHandler     counts bytes in and out
 *   idle         IdleDetectionHandler      when any idle timeout is set; write progress counts as activity
 *   idlePolicy   IdlePolicyHandler         closes idle connections, or passes the event on
 *   backpressure BackpressureHandler       stops reading while the channel is not writable
 *   writeStall   WriteStallHandler         when writeStallTimeout is set: closes peers that stopped reading
 *   ...          the protocol's handlers
 *   tail         ExceptionTailHandler      logs an unhandled exception once and closes the channel
 * </pre>
 *
 * Shared handler instances are made once here; per-channel ones once per channel. {@link
 * io.netserve.core.server.TcpServer} uses it; an embedder with its own {@code ServerBootstrap}
 * can use it as the child handler. Sharable, as {@link ChannelInitializer}s are.
 */
public final class TcpChannelInitializer extends ChannelInitializer<Channel> {

    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final Protocol protocol;
    private final ChannelGroup channels;
    private final ConnectionLimitHandler limit;
    private final TrafficMetricsHandler traffic;
    private final IdlePolicyHandler idlePolicy;

    /**
     * An initializer for {@code protocol} under {@code config}, counting into {@code metrics} and
     * adding each channel to {@code channels} (for a graceful close), if not null.
     */
    public TcpChannelInitializer(ServerConfig config, ServerMetrics metrics, Protocol protocol, ChannelGroup channels) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.channels = channels;
        this.limit = new ConnectionLimitHandler(config.maxConnections(), metrics);
        this.traffic = new TrafficMetricsHandler(metrics);
        this.idlePolicy = new IdlePolicyHandler(config.idlePolicy(), metrics);
    }

    @Override
    protected void initChannel(Channel ch) {
        if (channels != null) {
            channels.add(ch);
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast("limit", limit);
        p.addLast("metrics", traffic);
        if (hasIdleTimeout(config)) {
            p.addLast("idle", new IdleDetectionHandler(config.readerIdleTimeout(), config.writerIdleTimeout(),
                    config.allIdleTimeout()));
            p.addLast("idlePolicy", idlePolicy);
        }
        p.addLast("backpressure", BackpressureHandler.INSTANCE);
        if (!config.writeStallTimeout().isZero()) {
            p.addLast("writeStall", new WriteStallHandler(config.writeStallTimeout(), metrics));
        }
        protocol.configure(p);
        p.addLast("tail", ExceptionTailHandler.INSTANCE);
    }

    private static boolean hasIdleTimeout(ServerConfig c) {
        return !c.readerIdleTimeout().isZero() || !c.writerIdleTimeout().isZero() || !c.allIdleTimeout().isZero();
    }
}
