package io.netserve.core.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP client's requests, stop and wait: one datagram is outstanding at a time, sent again when
 * no reply comes within the timeout, up to the number of retries, and the next datagram from the
 * server is taken as its reply (a late reply to an earlier try stands in for it). Datagrams from
 * anyone else are dropped. The last handler before the tail.
 *
 * <pre>{@code
 * DatagramRequests requests = new DatagramRequests(server, Duration.ofSeconds(1), 2, 1024);
 * pipeline.addLast(DatagramRequests.NAME, requests);
 * CompletableFuture<ByteBuf> reply = requests.submit(Unpooled.copiedBuffer("ping", US_ASCII));
 * }</pre>
 *
 * <p>A request that gets no reply after its last try fails with a {@link TimeoutException} that
 * says how many tries of how long; on a connected channel, one that the server's host refused (an
 * ICMP port unreachable) fails at once with a {@link PortUnreachableException}. At most
 * {@code maxPending} requests wait or are outstanding; one more fails at once with a
 * {@link RejectedExecutionException}. Requests still pending when the channel closes fail with an
 * {@link IOException}. The request's buffer is released by this handler; a reply's is the
 * caller's. Consumes replies and the exceptions of requests it fails. Not sharable: one per
 * channel.
 */
public final class DatagramRequests extends ChannelInboundHandlerAdapter {

    /** This handler's name in the pipeline. */
    public static final String NAME = "requests";

    private final InetSocketAddress server;
    private final long timeoutNanos;
    private final int retries;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Request current;
    private volatile boolean closed;

    /**
     * Requests to {@code server}, each try waiting {@code timeout} (zero: forever) for its reply,
     * sent again up to {@code retries} times, at most {@code maxPending} at once.
     */
    public DatagramRequests(InetSocketAddress server, Duration timeout, int retries, int maxPending) {
        this.server = Objects.requireNonNull(server, "server");
        this.timeoutNanos = timeout.toNanos();
        this.retries = retries;
        this.maxPending = maxPending;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Requests waiting or outstanding. */
    public int pending() {
        return Math.max(0, pending.get());
    }

    /** Sends {@code datagram} to the server, from any thread; the future completes with the reply's content. */
    public CompletableFuture<ByteBuf> submit(ByteBuf datagram) {
        CompletableFuture<ByteBuf> future = new CompletableFuture<>();
        if (closed) {
            datagram.release();
            return CompletableFuture.failedFuture(closedFailure());
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            datagram.release();
            future.completeExceptionally(new RejectedExecutionException(maxPending + " requests already pending to "
                    + ClientFailures.format(server)));
            return future;
        }
        Request request = new Request(datagram, future);
        try {
            ctx.executor().execute(() -> accept(request));
        } catch (RejectedExecutionException e) {
            finish(request);
            future.completeExceptionally(closedFailure());
        }
        return future;
    }

    private void accept(Request request) {
        if (closed) {
            finish(request);
            request.future.completeExceptionally(closedFailure());
            return;
        }
        queue.add(request);
        if (current == null) {
            next();
        }
    }

    private void next() {
        current = queue.poll();
        if (current != null) {
            send(current);
        }
    }

    private void send(Request request) {
        request.tries++;
        ctx.writeAndFlush(new DatagramPacket(request.datagram.retainedDuplicate(), server)).addListener(f -> {
            if (!f.isSuccess() && request == current) {
                fail(new IOException("cannot send to " + ClientFailures.format(server) + ": "
                        + ClientFailures.reason(f.cause()), f.cause()));
            }
        });
        if (timeoutNanos > 0) {
            request.timeout = ctx.executor().schedule(() -> timedOut(request), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void timedOut(Request request) {
        if (request != current) {
            return;
        }
        if (request.tries <= retries) {
            send(request);
            return;
        }
        fail(new TimeoutException("no reply from " + ClientFailures.format(server) + " after " + request.tries
                + (request.tries == 1 ? " try of " : " tries of ") + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
    }

    private void fail(Throwable cause) {
        Request request = current;
        finish(request);
        request.future.completeExceptionally(cause);
        next();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ctx.fireChannelRead(msg);
            return;
        }
        DatagramPacket packet = (DatagramPacket) msg;
        try {
            Request request = current;
            if (request == null || !server.equals(packet.sender())) {
                return; // not a reply: from someone else, or nothing asked
            }
            finish(request);
            ByteBuf reply = packet.content().retain();
            if (!request.future.complete(reply)) {
                reply.release();
            }
            next();
        } finally {
            packet.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (current != null && cause instanceof PortUnreachableException) {
            PortUnreachableException refused = new PortUnreachableException("nothing listens on "
                    + ClientFailures.format(server) + " (ICMP port unreachable)");
            refused.initCause(cause);
            fail(refused);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        IOException failure = closedFailure();
        if (current != null) {
            queue.addFirst(current);
            current = null;
        }
        for (Request request : queue) {
            finish(request);
            request.future.completeExceptionally(failure);
        }
        queue.clear();
        ctx.fireChannelInactive();
    }

    private IOException closedFailure() {
        return new IOException("the client of " + ClientFailures.format(server) + " is closed");
    }

    /** Ends {@code request}'s life here: its timer, its buffer, its place in the count. */
    private void finish(Request request) {
        if (request.timeout != null) {
            request.timeout.cancel(false);
        }
        request.datagram.release();
        pending.decrementAndGet();
    }

    /** One request: its datagram, its tries, its future. Event loop only, once accepted. */
    private static final class Request {
        final ByteBuf datagram;
        final CompletableFuture<ByteBuf> future;
        int tries;
        Future<?> timeout;

        Request(ByteBuf datagram, CompletableFuture<ByteBuf> future) {
            this.datagram = datagram;
            this.future = future;
        }
    }
}
