package io.netserve.core.internal.udp;

import io.netserve.core.internal.ServerContext;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Drops datagrams whose source port is privileged (below 1024, including 0). Well-known UDP
 * services live there (echo/7, chargen/19, daytime/13, DNS/53, NTP/123), and a reflector answering
 * them is how two servers are made to bounce datagrams at each other forever (CVE-1999-0103) or
 * how a spoofed request is reflected at a service. Real clients send from ephemeral ports.
 *
 * <pre>{@code
 * if (!config.allowPrivilegedSourcePorts()) {
 *     pipeline.addLast("sourcePort", new SourcePortGuard(context));
 * }
 * }</pre>
 *
 * <p>Releases and consumes such {@link DatagramPacket}s, counting each in
 * {@code ServerMetrics.droppedPrivilegedPort()} and logging at most one line a second; passes
 * everything else on. {@link Sharable}: one instance serves every datagram channel of a server.
 */
@Sharable
public final class SourcePortGuard extends ChannelInboundHandlerAdapter {

    /** Source ports below this are dropped. */
    public static final int FIRST_UNPRIVILEGED_PORT = 1024;

    private final ServerContext context;

    /** A guard counting its drops into {@code context}. */
    public SourcePortGuard(ServerContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket) {
            DatagramPacket packet = (DatagramPacket) msg;
            InetSocketAddress sender = packet.sender();
            if (sender != null && sender.getPort() < FIRST_UNPRIVILEGED_PORT) {
                context.metrics().recordDroppedPrivilegedPort();
                context.droppedSourcePort().log(ctx.channel(), sender,
                        "dropped a datagram from {}: its source port is privileged (below {});"
                                + " allowPrivilegedSourcePorts answers them", sender, FIRST_UNPRIVILEGED_PORT);
                packet.release();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
