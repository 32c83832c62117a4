package io.netserve.core.tcp;

import io.netserve.core.Protocol;
import io.netserve.core.config.ClientConfig;
import io.netserve.core.internal.client.ClientFailures;
import io.netserve.core.internal.client.PendingRequests;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A client of a request/response protocol over TCP: each request written is answered by one
 * reply, in order. The protocol is only its codec (framing, then requests to bytes and bytes to
 * replies); the client matches each reply to its request and completes that request's future.
 *
 * <pre>{@code
 * Protocol lines = pipeline -> pipeline.addLast(
 *         new LineBasedFrameDecoder(1024), new StringDecoder(UTF_8), new StringEncoder(UTF_8));
 * try (RequestClient<String, String> upper =
 *              RequestClient.connect(ClientConfig.builder("127.0.0.1", 7000).build(), lines, String.class)) {
 *     String reply = upper.send("hello\n");                           // blocks: "HELLO"
 *     CompletableFuture<String> next = upper.sendAsync("again\n");    // pipelined
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Pipelined, in order.</b> Requests go out as they are sent, without waiting for the
 *       replies before them; the n-th reply completes the n-th request.</li>
 *   <li><b>Backpressure.</b> At most {@code maxRequestsInFlight} requests are accepted and not yet
 *       answered; one more fails at once with a {@code RejectedExecutionException}. Requests are
 *       written only while the connection is writable and wait their turn otherwise, so a server
 *       that stops reading costs the client bounded memory. Replies are always read (a server
 *       that cannot write its replies would stop reading requests).</li>
 *   <li><b>Timeouts.</b> A request without its reply after {@code requestTimeout} fails with a
 *       {@code java.util.concurrent.TimeoutException} ("no reply from 127.0.0.1:7000 within
 *       500 ms"); its reply, if it comes later, is dropped.</li>
 *   <li><b>Failures.</b> When the connection ends, every pending request fails with one
 *       exception that says how: {@code java.io.EOFException} "connection closed by
 *       127.0.0.1:7000 before its reply" (or "in the middle of its reply"), or an
 *       {@code IOException} naming the I/O error or the malformed reply. While the client
 *       reconnects (see {@code ClientConfig.reconnect}), requests fail at once with a
 *       {@code java.net.ConnectException}.</li>
 * </ul>
 *
 * <p>The pipeline is a {@link TcpClient}'s, without its backpressure handler (this client bounds
 * what it writes itself): TLS, metrics, idle handling, the codec, the matching, the tail. Futures
 * complete on the client's event loop: continue with the {@code ...Async} methods of
 * {@code CompletableFuture} to leave it, and never block in a continuation. A reference-counted
 * reply (a {@code ByteBuf}) is the caller's to release; a reference-counted request is released
 * by the client. Thread-safe.
 *
 * @param <Q> what a request is, as the codec's encoder takes it
 * @param <R> what a reply is, as the codec's decoder passes it on
 */
public final class RequestClient<Q, R> implements AutoCloseable {

    private final TcpClient client;

    private RequestClient(TcpClient client) {
        this.client = client;
    }

    /**
     * Connects to the server of {@code config} with {@code codec}, whose decoders pass on one
     * {@code replyType} per reply, and returns the client once connected. Blocks: do not call it
     * on an event loop.
     *
     * @throws IOException as {@link TcpClient#connect} does
     */
    public static <Q, R> RequestClient<Q, R> connect(ClientConfig config, Protocol codec, Class<R> replyType)
            throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(replyType, "replyType");
        TcpClient client = TcpClient.connect(config, pipeline -> {
            PendingRequests<R> requests = new PendingRequests<>(replyType, config.maxRequestsInFlight(),
                    config.requestTimeout());
            pipeline.remove("backpressure");
            pipeline.addLast(PendingRequests.REPLY_BYTES, requests.replyBytes());
            codec.configure(pipeline);
            pipeline.addLast(PendingRequests.NAME, requests);
        }, true);
        return new RequestClient<>(client);
    }

    /**
     * Sends {@code request} and returns the future of its reply, without blocking. The future
     * fails as the class description says; with a {@code RejectedExecutionException} at once when
     * {@code maxRequestsInFlight} requests are pending.
     */
    public CompletableFuture<R> sendAsync(Q request) {
        Objects.requireNonNull(request, "request");
        Channel ch = client.channel();
        PendingRequests<R> requests = ch.isActive() ? pending(ch) : null;
        if (requests == null) {
            ReferenceCountUtil.release(request);
            return CompletableFuture.failedFuture(notConnected());
        }
        return requests.submit(request);
    }

    /**
     * Sends {@code request} and waits for its reply. Not on the client's event loop (use
     * {@link #sendAsync} there).
     *
     * @throws TimeoutException if no reply came within the request timeout
     * @throws IOException if the connection ended first ({@code EOFException} when the server
     *         closed it), or the client is not connected ({@code ConnectException})
     * @throws RejectedExecutionException if {@code maxRequestsInFlight} requests are pending
     * @throws InterruptedException if interrupted while waiting; the request's reply is dropped
     */
    public R send(Q request) throws IOException, TimeoutException, InterruptedException {
        if (client.channel().eventLoop().inEventLoop()) {
            throw new IllegalStateException("send(...) blocks; on the client's event loop use sendAsync(...)");
        }
        return ClientFailures.await(sendAsync(request), ReferenceCountUtil::release);
    }

    /** Requests sent and not yet answered or failed, on the connection now. */
    public int inFlight() {
        Channel ch = client.channel();
        PendingRequests<R> requests = pending(ch);
        return requests == null ? 0 : requests.inFlight();
    }

    /** The client underneath: addresses, state and its listeners, metrics, close future. */
    public TcpClient client() {
        return client;
    }

    /** Closes the connection (failing what is pending) and stops the client; see {@link TcpClient#close()}. */
    @Override
    public void close() {
        client.close();
    }

    @SuppressWarnings("unchecked")
    private PendingRequests<R> pending(Channel ch) {
        return ch.pipeline().get(PendingRequests.class);
    }

    private IOException notConnected() {
        String server = ClientFailures.format(client.remoteAddress());
        if (client.state() == TcpClient.State.CLOSED || !client.config().reconnect()) {
            return new IOException("the connection to " + server + " is closed");
        }
        return new ConnectException("not connected to " + server + ": reconnecting");
    }

    @Override
    public String toString() {
        return "RequestClient{" + client + ", inFlight=" + inFlight() + "}";
    }
}
