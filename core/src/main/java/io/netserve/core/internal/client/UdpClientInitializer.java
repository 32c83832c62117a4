package io.netserve.core.internal.client;

import io.netserve.core.Protocol;
import io.netserve.core.internal.BackpressureHandler;
import io.netserve.core.internal.ExceptionTailHandler;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.TrafficMetricsHandler;
import io.netserve.core.internal.udp.EmptyDatagramWriter;
import io.netserve.core.internal.udp.OversizeDatagramGuard;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

import java.util.Objects;

/**
 * Builds the pipeline of a UDP client's datagram channel, the client's side of core's standard
 * datagram pipeline, always in this order:
 *
 * <pre>
 *   emptyDatagrams  EmptyDatagramWriter     NIO and epoll only: sends the empty datagrams they would drop
 *   metrics         TrafficMetricsHandler   counts datagrams and bytes in and out
 *   oversize        OversizeDatagramGuard   drops replies longer than maxDatagramSize
 *   backpressure    BackpressureHandler     stops reading while datagrams cannot be sent
 *   ...             the protocol's handlers
 *   requests        DatagramRequests        sends requests, retries, takes the server's replies
 *   tail            ExceptionTailHandler    logs an unhandled exception, never closes the channel
 * </pre>
 *
 * One per client.
 */
public final class UdpClientInitializer extends ChannelInitializer<Channel> {

    private final ServerContext context;
    private final int maxDatagramSize;
    private final Protocol protocol;
    private final DatagramRequests requests;

    /**
     * An initializer for {@code protocol} and {@code requests}, counting into {@code context},
     * dropping replies over {@code maxDatagramSize} bytes.
     */
    public UdpClientInitializer(ServerContext context, int maxDatagramSize, Protocol protocol, DatagramRequests requests) {
        this.context = Objects.requireNonNull(context, "context");
        this.maxDatagramSize = maxDatagramSize;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.requests = Objects.requireNonNull(requests, "requests");
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (EmptyDatagramWriter.isNeededFor(ch)) {
            p.addLast("emptyDatagrams", EmptyDatagramWriter.INSTANCE);
        }
        p.addLast("metrics", new TrafficMetricsHandler(context));
        p.addLast("oversize", new OversizeDatagramGuard(maxDatagramSize, context));
        p.addLast("backpressure", BackpressureHandler.INSTANCE);
        protocol.configure(p);
        p.addLast(DatagramRequests.NAME, requests);
        p.addLast("tail", ExceptionTailHandler.forDatagrams(context));
    }
}
