package io.netserve.core.internal.tls;

import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.Objects;

/**
 * Sits right after {@link ServerTls#newHandler()} and deals with failed handshakes: it names the
 * reason with one label of {@link TlsFailureReason}, counts it in
 * {@link ServerMetrics#recordTlsHandshakeFailure(String)}, logs one line at INFO (peer, reason,
 * requested SNI name) and closes the connection. After a successful handshake it removes itself.
 *
 * <pre>{@code
 * pipeline.addLast("tls", serverTls.newHandler());
 * pipeline.addLast("tls-handshake", new TlsHandshakeHandler(metrics));
 * }</pre>
 *
 * <p>Passes every event on. Consumes the exceptions of a connection whose handshake failed or has
 * not completed: they are the failure this handler reports, and would otherwise be logged again
 * further down the pipeline. A peer that closes before its ClientHello is complete, as a TCP
 * health check does, is neither counted nor logged. Not sharable: one per connection.
 */
public final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeHandler.class);
    private static final int MAX_LOGGED_NAME = 253;

    private final ServerMetrics metrics;
    private String requestedName;
    private boolean failed;

    /** A handler counting failures into {@code metrics}. */
    public TlsHandshakeHandler(ServerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SniCompletionEvent sni) {
            requestedName = sni.hostname();
            if (!sni.isSuccess()) {
                fail(ctx, sni.cause());
            }
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                fail(ctx, handshake.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        String reason = TlsFailureReason.of(cause);
        metrics.recordTlsHandshakeFailure(reason);
        logFailure(ctx.channel().remoteAddress(), reason, requestedName, cause);
        ctx.close();
    }

    /** The one line for a failed handshake; the detail is kept for {@code other}, where the label says little. */
    private static void logFailure(SocketAddress peer, String reason, String requestedName, Throwable cause) {
        if (log.isInfoEnabled()) {
            String sni = requestedName == null ? "" : ", SNI " + printable(requestedName);
            String detail = TlsFailureReason.OTHER.equals(reason) ? " (" + TlsFailureReason.detail(cause) + ")" : "";
            log.info("TLS handshake with {} failed: {}{}{}", peer, reason, detail, sni);
        }
    }

    /** A peer-chosen name made safe for a log line: printable ASCII, DNS length at most. */
    static String printable(String name) {
        StringBuilder sb = new StringBuilder(Math.min(name.length(), MAX_LOGGED_NAME));
        for (int i = 0; i < name.length() && i < MAX_LOGGED_NAME; i++) {
            char c = name.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
