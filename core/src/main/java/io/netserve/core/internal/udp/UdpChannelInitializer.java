package io.netserve.core.internal.udp;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.BackpressureHandler;
import io.netserve.core.internal.ExceptionTailHandler;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.TrafficMetricsHandler;
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
 *   replyLimit      ReplyBackpressureGuard    drops (and counts) replies past the write-buffer high water mark
 *   ...             the protocol's handlers
 *   tail            ExceptionTailHandler      logs an unhandled exception, never closes the channel
 * </pre>
 *
 * The cheapest checks come first, and the rate limit counts only datagrams a protocol would see.
 * Every handler here is {@code @Sharable} and made once per initializer, so the channels a server
 * binds with {@code SO_REUSEPORT} share one rate-limit table and one set of log budgets: use one
 * initializer per server, together with {@link DatagramReads}.
 */
public final class UdpChannelInitializer extends ChannelInitializer<Channel> {

    private final Protocol protocol;
    private final TrafficMetricsHandler traffic;
    private final OversizeDatagramGuard oversize;
    private final SourcePortGuard sourcePort;
    private final SourceRateLimiter rateLimit;
    private final ReplyBackpressureGuard replyLimit;
    private final ExceptionTailHandler tail;

    /** An initializer for {@code protocol} under {@code config}, counting into {@code context}. */
    public UdpChannelInitializer(ServerConfig config, ServerContext context, Protocol protocol) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.traffic = new TrafficMetricsHandler(context);
        this.oversize = new OversizeDatagramGuard(config.maxDatagramSize(), context);
        this.sourcePort = config.allowPrivilegedSourcePorts() ? null : new SourcePortGuard(context);
        this.rateLimit = config.rateLimitPerSecond() == 0 ? null
                : new SourceRateLimiter(config.rateLimitPerSecond(), config.rateLimitMaxSources(), context);
        this.replyLimit = new ReplyBackpressureGuard(context);
        this.tail = ExceptionTailHandler.forDatagrams(context);
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
        p.addLast("replyLimit", replyLimit);
        protocol.configure(p);
        p.addLast("tail", tail);
    }
}
