package io.netserve.core.internal.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Answers one complete admin request ({@link FullHttpRequest}, released here): the health
 * endpoints, {@code /metrics}, 404, 405 and, for a request the codec could not decode, 400 and
 * close. See {@link AdminServer} for the table.
 *
 * <p>A client that sends a request while its earlier responses still fill the write buffer is
 * closed: it does not read, and answering it would only grow that buffer. Reading pauses while
 * the channel is not writable. {@code @Sharable}: holds no per-connection state.
 */
@Sharable
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String LIVE = AdminServer.LIVE_PATH;
    static final String READY = AdminServer.READY_PATH;
    static final String METRICS = AdminServer.METRICS_PATH;

    private static final Logger log = LoggerFactory.getLogger(AdminRequestHandler.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String ALLOWED = "GET, HEAD";

    private final BooleanSupplier ready;
    private final Supplier<String> metricsText;

    AdminRequestHandler(BooleanSupplier ready, Supplier<String> metricsText) {
        super(FullHttpRequest.class);
        this.ready = ready;
        this.metricsText = metricsText;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            log.debug("admin: bad request from {}: {}", ctx.channel().remoteAddress(),
                    request.decoderResult().cause().toString());
            // The client may still be sending: closing now could reset the connection before it reads
            // the 400. Half-close instead; its own close, or the request deadline, ends the connection.
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n", false)
                    .addListener((ChannelFutureListener) AdminRequestHandler::shutdownOutput);
            return;
        }
        if (!ctx.channel().isWritable()) {
            log.debug("admin: closed {}, it sends requests but does not read the responses",
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = path(request.uri());
        if (!path.equals(LIVE) && !path.equals(READY) && !path.equals(METRICS)) {
            answer(ctx, request, HttpResponseStatus.NOT_FOUND, TEXT, "not found\n", keepAlive);
        } else if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            answer(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "method not allowed\n", keepAlive);
        } else if (path.equals(LIVE)) {
            answer(ctx, request, HttpResponseStatus.OK, TEXT, "live\n", keepAlive);
        } else if (path.equals(READY)) {
            if (ready.getAsBoolean()) {
                answer(ctx, request, HttpResponseStatus.OK, TEXT, "ready\n", keepAlive);
            } else {
                answer(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "not ready\n", keepAlive);
            }
        } else {
            metrics(ctx, request, keepAlive);
        }
    }

    private void metrics(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        String text;
        try {
            text = Objects.requireNonNull(metricsText.get(), "the metrics text is null");
        } catch (RuntimeException e) {
            // One line per scrape; the trace at DEBUG, for whoever looks into it.
            log.warn("admin: /metrics failed: {}", e.toString());
            log.debug("admin: /metrics failed", e);
            answer(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, "metrics unavailable\n", keepAlive);
            return;
        }
        answer(ctx, request, HttpResponseStatus.OK, AdminServer.METRICS_CONTENT_TYPE, text, keepAlive);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof DecoderException) {
            log.debug("admin: closed {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("admin: closed {} after an unexpected failure", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /** Writes the response, then reads on (keep-alive) or closes. */
    private static void answer(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                               String contentType, String body, boolean keepAlive) {
        ChannelFuture written = respond(ctx, request, status, contentType, body, keepAlive);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        } else if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Writes the response; {@code HEAD} gets {@code GET}'s headers and no body. */
    private static ChannelFuture respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                         String contentType, String body, boolean keepAlive) {
        boolean head = HttpMethod.HEAD.equals(request.method());
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, head ? ByteBufUtil.utf8Bytes(body) : content.readableBytes());
        if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            response.headers().set(HttpHeaderNames.ALLOW, ALLOWED);
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return ctx.writeAndFlush(response);
    }

    private static void shutdownOutput(ChannelFuture written) {
        if (written.channel() instanceof DuplexChannel duplex && written.isSuccess()) {
            duplex.shutdownOutput();
        } else {
            written.channel().close();
        }
    }

    /** The path of a request target in origin form ({@code /metrics?x}) or absolute form ({@code http://h/metrics}). */
    static String path(String uri) {
        String target = uri;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            if (scheme > 0) {
                int slash = target.indexOf('/', scheme + 3);
                target = slash < 0 ? "/" : target.substring(slash);
            }
        }
        int end = target.length();
        int query = target.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = target.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return target.substring(0, end);
    }
}
