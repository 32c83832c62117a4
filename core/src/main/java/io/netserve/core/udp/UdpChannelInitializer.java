package io.netserve.core.udp;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.flow.BackpressureHandler;
import io.netserve.core.metrics.ServerMetrics;
import io.netserve.core.metrics.TrafficMetricsHandler;
import io.netserve.core.pipeline.Protocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

import java.util.Objects;

/**
 * Builds the pipeline of each of a server's datagram channels from a {@link ServerConfig} and a
 * {@link Protocol}, always in this order:
 *
 * <pre>
 *   emptyDatagrams  EmptyDatagramWriter       NIO and epoll only: sends the empty datagrams they would drop
 *   metrics         TrafficMetricsHandler     counts datagrams and bytes in (before any drop) and out
 *   oversize        OversizeDatagramGuard     drops datagrams longer than maxDatagramSize
 *   sourcePort      SourcePortGuard           unless allowPrivilegedSourcePorts: drops source ports below 1024
 *   rateLimit       SourceRateLimiter         when rateLimitPerSecond &gt; 0: drops datagrams past a source's rate
 *   backpressure    BackpressureHandler       stops reading while replies cannot be sent
 *   ...             the protocol's handlers
 *   tail            DatagramExceptionHandler  logs an unhandled exception, never closes the channel
 * </pre>
 *
 * The cheapest checks come first, and the rate limit counts only datagrams a protocol would see.
 * Every handler here is {@code @Sharable} and made once per initializer, so the channels a server
 * binds with {@code SO_REUSEPORT} share one rate-limit table and one set of log budgets: use one
 * initializer per server. {@link io.netserve.core.server.UdpServer} uses it; an embedder with its
 * own {@code Bootstrap} can use it as the handler, together with {@link DatagramReads}.
 */
public final class UdpChannelInitializer extends ChannelInitializer<Channel> {

    private final Protocol protocol;
    private final TrafficMetricsHandler traffic;
    private final OversizeDatagramGuard oversize;
    private final SourcePortGuard sourcePort;
    private final SourceRateLimiter rateLimit;
    private final DatagramExceptionHandler tail = new DatagramExceptionHandler();

    /** An initializer for {@code protocol} under {@code config}, counting into {@code metrics}. */
    public UdpChannelInitializer(ServerConfig config, ServerMetrics metrics, Protocol protocol) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(metrics, "metrics");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.traffic = new TrafficMetricsHandler(metrics);
        this.oversize = new OversizeDatagramGuard(config.maxDatagramSize(), metrics);
        this.sourcePort = config.allowPrivilegedSourcePorts() ? null : new SourcePortGuard(metrics);
        this.rateLimit = config.rateLimitPerSecond() == 0 ? null
                : new SourceRateLimiter(config.rateLimitPerSecond(), config.rateLimitMaxSources(), metrics);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (EmptyDatagramWriter.isNeededFor(ch)) {
            p.addLast("emptyDatagrams", EmptyDatagramWriter.INSTANCE);
        }
        p.addLast("metrics", traffic);
        p.addLast("oversize", oversize);
        if (sourcePort != null) {
            p.addLast("sourcePort", sourcePort);
        }
        if (rateLimit != null) {
            p.addLast("rateLimit", rateLimit);
        }
        p.addLast("backpressure", BackpressureHandler.INSTANCE);
        protocol.configure(p);
        p.addLast("tail", tail);
    }
}
