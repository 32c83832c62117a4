package io.netserve.core.internal.tls;

import io.netserve.core.internal.Peers;
import io.netserve.core.internal.ServerContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import java.util.Objects;

/**
 * Sits right after {@link ServerTls#newHandler()} and deals with failed handshakes: it names the
 * reason with one label of {@link TlsFailureReason}, counts it in the server's
 * {@link io.netserve.core.metrics.ServerMetrics#recordTlsHandshakeFailure(String)}, logs it through
 * {@link ServerContext#tlsHandshakeFailed()} (peer, reason, requested SNI name; at most a line a
 * second, as every per-peer event) and closes the connection. After a successful handshake it
 * removes itself.
 *
 * <pre>{@code
 * pipeline.addLast("tls", serverTls.newHandler());
 * pipeline.addLast("tls-handshake", new TlsHandshakeHandler(context));
 * }</pre>
 *
 * <p>Passes every event on. Consumes the exceptions of a connection whose handshake failed or has
 * not completed: they are the failure this handler reports, and would otherwise be logged again
 * further down the pipeline. A peer that closes before its ClientHello is complete, as a TCP
 * health check does, is neither counted nor logged. Not sharable: one per connection.
 */
public final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final int MAX_LOGGED_NAME = 253;

    private final ServerContext context;
    private String requestedName;
    private boolean failed;

    /** A handler counting and logging failures into the server's {@code context}. */
    public TlsHandshakeHandler(ServerContext context) {
        this.context = Objects.requireNonNull(context, "context");
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
        context.metrics().recordTlsHandshakeFailure(reason);
        logFailure(ctx.channel(), reason, cause);
        ctx.close();
    }

    /** The line for a failed handshake; the detail is kept for {@code other}, where the label says little. */
    private void logFailure(Channel ch, String reason, Throwable cause) {
        String sni = requestedName == null ? "" : ", SNI " + printable(requestedName);
        String detail = TlsFailureReason.OTHER.equals(reason) ? " (" + TlsFailureReason.detail(cause) + ")" : "";
        context.tlsHandshakeFailed().log(ch, "TLS handshake with {} failed: {}{}{}", Peers.remote(ch), reason, detail, sni);
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
