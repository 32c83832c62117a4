package io.netserve.core.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests of one connection of a request/response client, matched in order with the replies
 * its protocol decodes: the last handler before the tail, with {@link #replyBytes()} before the
 * protocol's decoders.
 *
 * <pre>{@code
 * PendingRequests<Reply> requests = new PendingRequests<>(Reply.class, 1024, Duration.ofSeconds(10));
 * pipeline.addLast(PendingRequests.REPLY_BYTES, requests.replyBytes());
 * codec.configure(pipeline);                       // bytes <-> requests and replies
 * pipeline.addLast(PendingRequests.NAME, requests);
 * CompletableFuture<Reply> reply = requests.submit(request);   // from any thread
 * }</pre>
 *
 * <ul>
 *   <li><b>In order, pipelined.</b> Requests are written as they come and flushed once per batch;
 *       the n-th reply completes the n-th request's future, on the event loop.</li>
 *   <li><b>Bounded.</b> At most {@code maxInFlight} requests are accepted and unanswered: one
 *       more fails at once with a {@link RejectedExecutionException}. Requests are written only
 *       while the channel is writable; the others wait, unwritten, in arrival order.</li>
 *   <li><b>Timed.</b> A request unanswered after the timeout fails with a {@link TimeoutException}
 *       that says how long it waited. A request already written keeps its place: its late reply is
 *       released when it comes, so the replies after it still meet their requests.</li>
 *   <li><b>Failed together.</b> When the connection ends, every request still pending fails with
 *       one exception that says how: {@link EOFException} when the server closed ("before its
 *       reply", or "in the middle of its reply" when bytes of one had come), an
 *       {@link IOException} naming an I/O error or a malformed reply, or closed by the client, an
 *       {@code SSLException} for a TLS alert (a client certificate refused after the handshake).</li>
 * </ul>
 *
 * <p>It needs {@code ALLOW_HALF_CLOSURE} on the channel to tell the server's close from the
 * client's, and closes the connection itself when the server's side ends. Requests and replies
 * that are reference counted are released when they go unused (a request refused, a reply that
 * came after its request timed out); a reply handed to a future is the caller's to release.
 * Consumes the exceptions it fails requests with, and those that follow on the same connection. Not
 * sharable: one per connection.
 */
public final class PendingRequests<R> extends ChannelDuplexHandler {

    /** This handler's name in the pipeline. */
    public static final String NAME = "requests";
    /** The name of {@link #replyBytes()} in the pipeline. */
    public static final String REPLY_BYTES = "replyBytes";

    private final Class<R> replyType;
    private final int maxInFlight;
    private final long timeoutNanos;
    private final AtomicInteger accepted = new AtomicInteger();
    private final ArrayDeque<Entry<R>> waiting = new ArrayDeque<>();
    private final ArrayDeque<Entry<R>> written = new ArrayDeque<>();
    private final Runnable flush = this::flush;

    private ChannelHandlerContext ctx;
    private volatile SocketAddress server;
    private volatile IOException closed;
    private Throwable error;
    private boolean serverClosed;
    private boolean bytesSinceReply;
    private boolean flushScheduled;

    /**
     * Requests answered by replies of {@code replyType}, at most {@code maxInFlight} at once, each
     * failed after {@code timeout} without its reply (zero: never).
     */
    public PendingRequests(Class<R> replyType, int maxInFlight, Duration timeout) {
        this.replyType = Objects.requireNonNull(replyType, "replyType");
        this.maxInFlight = maxInFlight;
        this.timeoutNanos = timeout.toNanos();
    }

    /** The handler that notes bytes of a reply arriving: put it before the protocol's decoders. */
    public ChannelHandler replyBytes() {
        return new ReplyBytes();
    }

    /** Requests accepted and not yet answered (nor failed). */
    public int inFlight() {
        return Math.max(0, accepted.get());
    }

    /**
     * Accepts {@code request} to be written on this connection, from any thread, and returns the
     * future of its reply. The connection must be active when this handler is asked.
     */
    public CompletableFuture<R> submit(Object request) {
        CompletableFuture<R> future = new CompletableFuture<>();
        IOException ended = closed;
        if (ended != null) {
            ReferenceCountUtil.release(request);
            future.completeExceptionally(ended);
            return future;
        }
        if (accepted.incrementAndGet() > maxInFlight) {
            accepted.decrementAndGet();
            ReferenceCountUtil.release(request);
            future.completeExceptionally(new RejectedExecutionException(maxInFlight
                    + " requests already in flight to " + ClientFailures.format(server())));
            return future;
        }
        Entry<R> entry = new Entry<>(request, future);
        if (ctx.executor().inEventLoop()) {
            accept(entry);
        } else {
            try {
                ctx.executor().execute(() -> accept(entry));
            } catch (RejectedExecutionException e) {
                settle(entry);
                ReferenceCountUtil.release(request);
                future.completeExceptionally(ClientFailures.connectionFailed(server(), e));
            }
        }
        return future;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            server();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        server();
        ctx.fireChannelActive();
    }

    /** The server this connection is to; the channel is connected before anyone asks. */
    private SocketAddress server() {
        SocketAddress known = server;
        if (known == null) {
            known = ctx.channel().remoteAddress();
            server = known;
        }
        return known;
    }

    private void accept(Entry<R> entry) {
        if (closed != null) {
            settle(entry);
            ReferenceCountUtil.release(entry.request);
            entry.future.completeExceptionally(closed);
            return;
        }
        if (timeoutNanos > 0) {
            entry.timeout = ctx.executor().schedule(() -> timedOut(entry), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        if (waiting.isEmpty() && ctx.channel().isWritable()) {
            write(entry);
        } else {
            waiting.add(entry);
        }
    }

    private void write(Entry<R> entry) {
        written.add(entry);
        entry.written = true;
        Object request = entry.request;
        entry.request = null;
        ctx.write(request).addListener(f -> {
            if (!f.isSuccess()) {
                writeFailed(entry, f.cause());
            }
        });
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        ctx.flush();
    }

    private void writeFailed(Entry<R> entry, Throwable cause) {
        if (entry.gone) {
            return; // the connection ended first, and failed it
        }
        written.remove(entry);
        settle(entry);
        entry.future.completeExceptionally(cause instanceof EncoderException ? cause
                : new IOException("cannot send to " + ClientFailures.format(server()) + ": " + ClientFailures.reason(cause),
                        cause));
    }

    private void timedOut(Entry<R> entry) {
        if (entry.future.isDone()) {
            return;
        }
        if (!entry.written) {
            waiting.remove(entry);
            settle(entry);
            ReferenceCountUtil.release(entry.request);
            entry.request = null;
        }
        entry.future.completeExceptionally(new TimeoutException("no reply from " + ClientFailures.format(server())
                + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        bytesSinceReply = false;
        Entry<R> entry = written.poll();
        if (entry == null) {
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(new CorruptedFrameException("a reply with no request pending"));
            return;
        }
        settle(entry);
        if (entry.timeout != null) {
            entry.timeout.cancel(false);
        }
        if (!replyType.isInstance(msg)) {
            ReferenceCountUtil.release(msg);
            entry.future.completeExceptionally(new IllegalStateException("the protocol passed on a "
                    + msg.getClass().getName() + " where a reply is a " + replyType.getName()));
        } else if (!entry.future.complete(replyType.cast(msg))) {
            ReferenceCountUtil.release(msg); // timed out or cancelled meanwhile
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Entry<R> next;
        while (ctx.channel().isWritable() && (next = waiting.poll()) != null) {
            write(next);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            serverClosed = true;
            ctx.close();
        } else if (evt instanceof SslCloseCompletionEvent) {
            serverClosed = true;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (error != null) {
            return; // the aftermath of the failure already reported, such as a decoder's last attempt on close
        }
        if (written.isEmpty() && waiting.isEmpty()) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (error == null) {
            error = cause;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        IOException failure = closeFailure();
        closed = failure;
        for (Entry<R> entry : waiting) {
            ReferenceCountUtil.release(entry.request);
            entry.request = null;
            fail(entry, failure);
        }
        waiting.clear();
        written.forEach(entry -> fail(entry, failure));
        written.clear();
        ctx.fireChannelInactive();
    }

    private IOException closeFailure() {
        String peer = ClientFailures.format(server());
        IOException tls = error == null ? null : ClientFailures.tlsFailed(server(), error);
        if (tls != null) {
            return tls;
        }
        if (error instanceof CodecException) {
            return new IOException("malformed reply from " + peer + ": " + ClientFailures.reason(error), error);
        }
        if (error != null) {
            return ClientFailures.connectionFailed(server(), error);
        }
        if (serverClosed) {
            return new EOFException("connection closed by " + peer
                    + (bytesSinceReply ? " in the middle of its reply" : " before its reply"));
        }
        return new IOException("connection to " + peer + " closed before its reply");
    }

    private void fail(Entry<R> entry, IOException failure) {
        settle(entry);
        if (entry.timeout != null) {
            entry.timeout.cancel(false);
        }
        entry.future.completeExceptionally(failure);
    }

    /** Takes {@code entry} out of the count of accepted requests, once. */
    private void settle(Entry<R> entry) {
        if (!entry.gone) {
            entry.gone = true;
            accepted.decrementAndGet();
        }
    }

    /** One request, from acceptance to its reply or failure. Event loop only, once accepted. */
    private static final class Entry<R> {
        final CompletableFuture<R> future;
        Object request;
        Future<?> timeout;
        boolean written;
        boolean gone;

        Entry(Object request, CompletableFuture<R> future) {
            this.request = request;
            this.future = future;
        }
    }

    /** Notes that bytes arrived since the last reply, so a close can say "in the middle of its reply". */
    private final class ReplyBytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
                bytesSinceReply = true;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
