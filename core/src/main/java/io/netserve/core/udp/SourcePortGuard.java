package io.netserve.core.udp;

import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Drops datagrams whose source port is privileged (below 1024, including 0). Well-known UDP
 * services live there (echo/7, chargen/19, daytime/13, DNS/53, NTP/123), and a reflector answering
 * them is how two servers are made to bounce datagrams at each other forever (CVE-1999-0103) or
 * how a spoofed request is reflected at a service. Real clients send from ephemeral ports.
 *
 * <pre>{@code
 * if (!config.allowPrivilegedSourcePorts()) {
 *     pipeline.addLast("sourcePort", new SourcePortGuard(metrics));
 * }
 * }</pre>
 *
 * <p>Releases and consumes such {@link DatagramPacket}s, counting each in
 * {@link ServerMetrics#droppedPrivilegedPort()} and logging at most one line a second; passes
 * everything else on. {@link Sharable}: one instance serves every datagram channel of a server.
 */
@Sharable
public final class SourcePortGuard extends ChannelInboundHandlerAdapter {

    /** Source ports below this are dropped. */
    public static final int FIRST_UNPRIVILEGED_PORT = 1024;

    private static final Logger log = LoggerFactory.getLogger(SourcePortGuard.class);

    private final ServerMetrics metrics;
    private final ThrottledLog throttle = new ThrottledLog(TimeUnit.SECONDS.toNanos(1));

    /** A guard counting its drops into {@code metrics}. */
    public SourcePortGuard(ServerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket) {
            DatagramPacket packet = (DatagramPacket) msg;
            InetSocketAddress sender = packet.sender();
            if (sender != null && sender.getPort() < FIRST_UNPRIVILEGED_PORT) {
                metrics.recordDroppedPrivilegedPort();
                long dropped = throttle.event(ctx.executor().ticker().nanoTime());
                if (dropped > 0) {
                    log.info("dropped {} datagram(s) from privileged source ports (below {}), latest from {};"
                            + " allowPrivilegedSourcePorts answers them", dropped, FIRST_UNPRIVILEGED_PORT, sender);
                }
                packet.release();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
