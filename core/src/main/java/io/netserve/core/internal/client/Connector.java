package io.netserve.core.internal.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Opens a client's TCP connections: tries each address of the server in turn until one accepts
 * within the connect timeout, then waits for the TLS handshake when the pipeline has an
 * {@link SslHandler}. A host that resolves to {@code ::1} and {@code 127.0.0.1} therefore connects
 * when only one of them listens.
 *
 * <pre>{@code
 * Connector connector = new Connector(bootstrap, "localhost", 7000, 10_000);
 * connector.connect(Addresses.resolveAll("localhost", 7000)).addListener(f -> ...);
 * }</pre>
 *
 * <p>The connect future fails with the exceptions of {@link ClientFailures}: a
 * {@code ConnectException} (every address refused, unreachable...), a
 * {@code ConnectTimeoutException} (none answered in time), or an {@code SSLHandshakeException}.
 * Thread-safe; its futures complete on the bootstrap's event loop.
 */
public final class Connector {

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final String host;
    private final int port;
    private final long timeoutMillis;

    /**
     * A connector of {@code bootstrap} (group, channel, options and handler set, on one event
     * loop) to the server {@code host}:{@code port}, whose connect timeout is
     * {@code timeoutMillis} (zero for none).
     */
    public Connector(Bootstrap bootstrap, String host, int port, long timeoutMillis) {
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.loop = (EventLoop) bootstrap.config().group();
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /** The event loop the connections run on, and the connect futures complete on. */
    public EventLoop loop() {
        return loop;
    }

    /** Connects to the first of {@code addresses} (non-empty) that answers, in order. */
    public Future<Channel> connect(List<InetSocketAddress> addresses) {
        Promise<Channel> promise = loop.newPromise();
        attempt(List.copyOf(addresses), 0, new ArrayList<>(), promise);
        return promise;
    }

    private void attempt(List<InetSocketAddress> addresses, int i, List<Throwable> failures, Promise<Channel> promise) {
        ChannelFuture connect = bootstrap.connect(addresses.get(i));
        connect.addListener(f -> {
            if (f.isSuccess()) {
                handshake(connect.channel(), addresses.get(i), promise);
                return;
            }
            failures.add(f.cause());
            if (i + 1 < addresses.size()) {
                attempt(addresses, i + 1, failures, promise);
            } else {
                promise.tryFailure(ClientFailures.connectFailed(host, port, addresses, failures, timeoutMillis));
            }
        });
    }

    private static void handshake(Channel ch, InetSocketAddress address, Promise<Channel> promise) {
        SslHandler tls = ch.pipeline().get(SslHandler.class);
        if (tls == null) {
            promise.trySuccess(ch);
            return;
        }
        tls.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                promise.trySuccess(ch);
            } else {
                ch.close();
                promise.tryFailure(ClientFailures.handshakeFailed(address, h.cause()));
            }
        });
    }
}
