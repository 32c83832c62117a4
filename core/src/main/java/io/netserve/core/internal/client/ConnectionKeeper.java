package io.netserve.core.internal.client;

import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a client connected: opens the first connection, and when it is lost either ends (without
 * reconnect) or connects again after a {@link Backoff} until it succeeds or the client is closed.
 * Every change is told to a {@link Listener} on the client's event loop, where all of this runs.
 *
 * <pre>{@code
 * ConnectionKeeper keeper = ConnectionKeeper.open(connector, addresses, backoff, metrics, listener);
 * Channel ch = keeper.channel();          // the connection now
 * keeper.close();                          // no more attempts; closes the connection
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ConnectionKeeper {

    /** What becomes of a client's connection; called on the client's event loop. */
    public interface Listener {
        /** A new connection is up (not called for the first one, which {@link #open} returns). */
        void connected(Channel channel);

        /** The connection was lost, or an attempt to reconnect failed, for {@code cause}; another attempt follows. */
        void reconnecting(Throwable cause);

        /** The client is closed for good: by {@link #close()} ({@code cause} null), or it lost its connection without reconnect. */
        void closed(Throwable cause);
    }

    private final Connector connector;
    private final EventLoop loop;
    private final List<InetSocketAddress> addresses;
    private final Backoff backoff;
    private final ServerMetrics metrics;
    private final Listener listener;
    private volatile Channel current;
    private volatile boolean closing;
    private Future<?> nextAttempt;

    private ConnectionKeeper(Connector connector, List<InetSocketAddress> addresses, Backoff backoff,
                             ServerMetrics metrics, Listener listener) {
        this.connector = connector;
        this.loop = connector.loop();
        this.addresses = List.copyOf(addresses);
        this.backoff = backoff;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Connects through {@code connector} to the first of {@code addresses} that answers and returns
     * the keeper of that connection; {@code backoff} paces reconnecting, or is null for none.
     * Blocks: never call it on an event loop.
     *
     * @throws IOException the connect failure ({@code ConnectException}, {@code ConnectTimeoutException},
     *         {@code SSLHandshakeException}); {@code InterruptedIOException} if interrupted
     */
    public static ConnectionKeeper open(Connector connector, List<InetSocketAddress> addresses, Backoff backoff,
                                        ServerMetrics metrics, Listener listener) throws IOException {
        if (connector.loop().inEventLoop()) {
            throw new IllegalStateException("a client connects by blocking: not on its event loop");
        }
        Future<Channel> connect = connector.connect(addresses);
        try {
            connect.await();
        } catch (InterruptedException e) {
            connect.addListener(f -> {
                if (f.isSuccess()) {
                    ((Channel) f.getNow()).close();
                }
            });
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting");
        }
        if (!connect.isSuccess()) {
            Throwable cause = connect.cause();
            throw cause instanceof IOException ? (IOException) cause : new IOException(cause.getMessage(), cause);
        }
        ConnectionKeeper keeper = new ConnectionKeeper(connector, addresses, backoff, metrics, listener);
        keeper.attach(connect.getNow());
        return keeper;
    }

    /** The connection now, or the last one while reconnecting (closed then). */
    public Channel channel() {
        return current;
    }

    /** The event loop the client's connections and this keeper run on. */
    public EventLoop loop() {
        return loop;
    }

    /** Whether {@link #close()} was called, or the connection was lost for good. */
    public boolean isClosed() {
        return closing;
    }

    /**
     * Stops reconnecting and closes the connection; the future completes once it is closed. The
     * listener hears {@link Listener#closed} with a null cause, unless the client had already ended.
     */
    public ChannelFuture close() {
        boolean first = !closing;
        closing = true;
        Channel ch = current;
        Runnable stop = () -> {
            if (nextAttempt != null) {
                nextAttempt.cancel(false);
            }
            if (first) {
                listener.closed(null);
            }
        };
        try {
            if (loop.inEventLoop()) {
                stop.run();
            } else {
                loop.execute(stop);
            }
        } catch (RejectedExecutionException e) {
            stop.run(); // the loop is gone (a shared group shut down): nothing runs there any more
        }
        return ch.close();
    }

    private void attach(Channel ch) {
        current = ch;
        metrics.recordConnectionOpened();
        InetSocketAddress server = (InetSocketAddress) ch.remoteAddress();
        ch.closeFuture().addListener(f -> lost(server));
    }

    private void lost(InetSocketAddress server) {
        metrics.recordConnectionClosed();
        if (closing) {
            return;
        }
        IOException cause = new EOFException("connection to " + ClientFailures.format(server) + " lost");
        if (backoff == null) {
            closing = true;
            listener.closed(cause);
            return;
        }
        listener.reconnecting(cause);
        scheduleAttempt();
    }

    private void scheduleAttempt() {
        nextAttempt = loop.schedule(this::attempt, backoff.nextDelayNanos(), TimeUnit.NANOSECONDS);
    }

    private void attempt() {
        if (closing) {
            return;
        }
        connector.connect(addresses).addListener(f -> {
            if (f.isSuccess()) {
                Channel ch = (Channel) f.getNow();
                if (closing) {
                    ch.close();
                    return;
                }
                backoff.reset();
                attach(ch);
                listener.connected(ch);
            } else if (!closing) {
                listener.reconnecting(f.cause());
                scheduleAttempt();
            }
        });
    }
}
