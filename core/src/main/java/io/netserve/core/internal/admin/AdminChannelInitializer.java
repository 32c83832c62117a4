package io.netserve.core.internal.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Sets up one admin connection, or closes it at once when {@code maxConnections} are open already.
 *
 * <pre>
 * http       HttpServerCodec        request line, headers and body limits; malformed: a failed request
 * aggregator HttpObjectAggregator   one FullHttpRequest per request; a body too large: 413
 * deadline   RequestDeadlineHandler closes a connection that completes no request in time
 * admin      AdminRequestHandler    answers
 * </pre>
 *
 * <p>Runs on the single admin thread only, so the count needs no further locking.
 */
final class AdminChannelInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger(AdminChannelInitializer.class);

    private final ChannelGroup connections;
    private final int maxConnections;
    private final long requestTimeoutNanos;
    private final AdminRequestHandler handler;

    AdminChannelInitializer(ChannelGroup connections, int maxConnections, Duration requestTimeout,
                            AdminRequestHandler handler) {
        this.connections = connections;
        this.maxConnections = maxConnections;
        this.requestTimeoutNanos = requestTimeout.toNanos();
        this.handler = handler;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (connections.size() >= maxConnections) {
            log.debug("admin: closed {}, {} admin connections are open already", ch.remoteAddress(), maxConnections);
            ch.close();
            return;
        }
        connections.add(ch);
        HttpDecoderConfig limits = new HttpDecoderConfig()
                .setMaxInitialLineLength(AdminServer.MAX_INITIAL_LINE)
                .setMaxHeaderSize(AdminServer.MAX_HEADER_SIZE);
        ch.pipeline()
                .addLast("http", new HttpServerCodec(limits))
                .addLast("aggregator", new HttpObjectAggregator(AdminServer.MAX_BODY))
                .addLast("deadline", new RequestDeadlineHandler(requestTimeoutNanos))
                .addLast("admin", handler);
    }
}
