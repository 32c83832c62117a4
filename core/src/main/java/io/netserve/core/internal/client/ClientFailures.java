package io.netserve.core.internal.client;

import io.netserve.core.internal.Addresses;
import io.netty.channel.ConnectTimeoutException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The exceptions a client's caller sees, each of a JDK or Netty type that says what happened and
 * with a one-line message that names the server, e.g.
 * {@code cannot connect to 127.0.0.1:7000: Connection refused} or
 * {@code no reply from 127.0.0.1:7000 within 500 ms}. Messages keep only the operating system's
 * words of a cause, not the transport's decoration.
 */
public final class ClientFailures {

    /**
     * Native transports say {@code "finishConnect(..) failed with error(-111): Connection refused"}
     * (epoll) or {@code "io_uring connect(..) failed with error(-111): ..."}.
     */
    private static final Pattern NATIVE_PREFIX = Pattern.compile("^(?:\\w+ )?\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");
    /** Netty appends the remote address to a refused connect: {@code "Connection refused: /127.0.0.1:7000"}. */
    private static final Pattern ADDRESS_SUFFIX = Pattern.compile(": [^ ]*/[0-9a-fA-F.:%]+:\\d+$");

    private ClientFailures() {
    }

    /**
     * Waits for {@code reply} and returns it, rethrowing its failure as the caller's own
     * ({@link IOException}, {@link TimeoutException}, unchecked ones as they are); interrupted, it
     * cancels the reply and hands one that still arrives to {@code late} (to release it).
     */
    public static <R> R await(CompletableFuture<R> reply, Consumer<? super R> late)
            throws IOException, TimeoutException, InterruptedException {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            reply.cancel(false);
            reply.thenAccept(late);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof TimeoutException) {
                throw (TimeoutException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    /** The operating system's words for {@code cause}, or its class's name when it has none. */
    public static String reason(Throwable cause) {
        Throwable t = cause;
        while (t.getMessage() == null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null) {
            return t.getClass().getSimpleName();
        }
        m = NATIVE_PREFIX.matcher(m).replaceFirst("");
        return ADDRESS_SUFFIX.matcher(m).replaceFirst("").replace('\n', ' ');
    }

    /** {@code address} as messages write it: {@code 127.0.0.1:7000}, {@code [::1]:7000}. */
    public static String format(SocketAddress address) {
        return address instanceof InetSocketAddress ? Addresses.format((InetSocketAddress) address)
                : String.valueOf(address);
    }

    /**
     * The failure to connect to {@code host}:{@code port}, each of whose {@code addresses} failed
     * with the cause at the same index: a {@link ConnectTimeoutException} if every one timed out,
     * else a {@link ConnectException}. One address is named alone, several after the host.
     */
    public static ConnectException connectFailed(String host, int port, List<InetSocketAddress> addresses,
                                                 List<Throwable> causes, long timeoutMillis) {
        boolean allTimedOut = true;
        StringBuilder why = new StringBuilder();
        for (int i = 0; i < causes.size(); i++) {
            Throwable cause = causes.get(i);
            boolean timedOut = cause instanceof ConnectTimeoutException;
            allTimedOut &= timedOut;
            String reason = timedOut ? "no answer within " + timeoutMillis + " ms" : reason(cause);
            if (addresses.size() == 1) {
                why.append(format(addresses.get(0))).append(": ").append(reason);
            } else {
                why.append(i == 0 ? "" : "; ").append(format(addresses.get(i))).append(": ").append(reason);
            }
        }
        String message = addresses.size() == 1 ? "cannot connect to " + why
                : "cannot connect to " + Addresses.format(InetSocketAddress.createUnresolved(host, port))
                        + " at any of its " + addresses.size() + " addresses (" + why + ")";
        ConnectException failure = allTimedOut ? new ConnectTimeoutException(message) : new ConnectException(message);
        failure.initCause(causes.get(causes.size() - 1));
        for (int i = 0; i < causes.size() - 1; i++) {
            failure.addSuppressed(causes.get(i));
        }
        return failure;
    }

    /** A failed TLS handshake with {@code server}, the provider's exception as its cause. */
    public static SSLHandshakeException handshakeFailed(InetSocketAddress server, Throwable cause) {
        SSLHandshakeException failure = new SSLHandshakeException("TLS handshake with " + format(server) + " failed: "
                + reason(root(cause)));
        failure.initCause(cause);
        return failure;
    }

    /**
     * The TLS failure of an established connection to {@code server} (an alert, such as a client
     * certificate refused after a TLS 1.3 handshake), if {@code cause} is one, else null.
     */
    public static SSLException tlsFailed(SocketAddress server, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return new SSLException("TLS with " + format(server) + " failed: " + reason(root(cause)), cause);
            }
        }
        return null;
    }

    private static Throwable root(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** {@code cause} as the I/O failure of a connection to {@code server}: {@code connection to X failed: reason}. */
    public static IOException connectionFailed(SocketAddress server, Throwable cause) {
        return new IOException("connection to " + format(server) + " failed: " + reason(cause), cause);
    }
}
