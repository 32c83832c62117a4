package io.netserve.core.internal.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;

/**
 * Netty's {@link SniHandler} with one handshake deadline for the whole handshake: it waits for the
 * ClientHello (and learns the requested SNI name) for at most the timeout, then gives the
 * {@link SslHandler} that replaces it only what is left of it, so a peer can hold a connection in
 * the handshake for no longer than the timeout in all. The {@link SslHandler} takes this handler's
 * name in the pipeline.
 *
 * <p>Fires {@link io.netty.handler.ssl.SniCompletionEvent} (failed, without a handshake event, when
 * no ClientHello came in time), then the {@link SslHandler}'s events. Not sharable.
 */
final class ServerSniHandler extends SniHandler {

    private long addedNanos;

    ServerSniHandler(Mapping<? super String, ? extends SslContext> mapping, long handshakeTimeoutMillis) {
        super(mapping, handshakeTimeoutMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        addedNanos = ctx.executor().ticker().nanoTime();
        super.handlerAdded(ctx);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext sslContext) {
        SslHandler handler = newSslHandler(sslContext, ctx.alloc());
        long spentMillis = TimeUnit.NANOSECONDS.toMillis(ctx.executor().ticker().nanoTime() - addedNanos);
        handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeoutMillis - spentMillis));
        try {
            ctx.pipeline().replace(this, ctx.name(), handler);
        } catch (RuntimeException | Error e) {
            // Not in the pipeline, so the handler will never release its engine.
            ReferenceCountUtil.safeRelease(handler.engine());
            throw e;
        }
    }
}
