package io.netserve.core.internal.tls;

import io.netserve.core.config.Durations;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.ServerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

import java.util.Locale;
import java.util.Objects;

/**
 * TLS in a TCP server's standard pipeline: the {@link ServerTls} a {@link ServerConfig} asks for,
 * watched for new certificates while the server runs, and the two handlers it puts at the head of
 * every connection's pipeline, so that what follows them (limits, metrics, idle policy, the
 * protocol) sees plaintext.
 *
 * <pre>{@code
 * TlsLayer tls = TlsLayer.open(config, context);   // TlsFileException: "<file>: <reason>"
 * // for each accepted connection, before core's other handlers:
 * tls.addTo(pipeline);                             // "tls", then "tls-handshake"
 * // once the server has stopped:
 * tls.close();
 * }</pre>
 *
 * <p>Thread-safe; one per server.
 */
public final class TlsLayer implements AutoCloseable {

    /** The name of the TLS handler in the pipeline (first a {@link ServerSniHandler}, then the {@code SslHandler}). */
    public static final String HANDLER_NAME = "tls";

    /** The name of the {@link TlsHandshakeHandler} right after it, until the handshake succeeds. */
    public static final String HANDSHAKE_HANDLER_NAME = "tls-handshake";

    private final ServerTls tls;
    private final ServerContext context;

    private TlsLayer(ServerTls tls, ServerContext context) {
        this.tls = tls;
        this.context = context;
    }

    /**
     * Loads the files {@code config} names and starts watching them (a change is taken within
     * about two seconds); failed handshakes are counted and logged into {@code context}.
     *
     * @throws TlsFileException naming the file that cannot be used and why
     * @throws IllegalArgumentException if the provider asked for does not load here
     * @throws IllegalStateException if {@code config} does not turn TLS on
     */
    public static TlsLayer open(ServerConfig config, ServerContext context) throws TlsFileException {
        Objects.requireNonNull(context, "context");
        if (!config.tls()) {
            throw new IllegalStateException("TLS is off in " + config);
        }
        ServerTls tls = ServerTls.builder(config.tlsCertificateChain().orElseThrow(), config.tlsPrivateKey().orElseThrow())
                .clientCa(config.tlsClientCa().orElse(null))
                .clientAuth(config.tlsClientAuth())
                .provider(config.tlsProvider().orElse(null))
                .handshakeTimeout(config.tlsHandshakeTimeout())
                .build();
        tls.watch(ServerTls.DEFAULT_WATCH_INTERVAL);
        return new TlsLayer(tls, context);
    }

    /** Adds the TLS handler and the handshake handler at the end of {@code pipeline}: call it before adding anything that is to see plaintext. */
    public void addTo(ChannelPipeline pipeline) {
        pipeline.addLast(HANDLER_NAME, tls.newHandler());
        pipeline.addLast(HANDSHAKE_HANDLER_NAME, new TlsHandshakeHandler(context));
    }

    /**
     * Re-reads the files now; see {@link ServerTls#reload()}.
     *
     * @return whether what they hold changed, and new connections now get it
     * @throws TlsFileException if they changed but cannot be used; the certificate in use stays
     */
    public boolean reload() throws TlsFileException {
        return tls.reload();
    }

    /**
     * What an operator reads once at start-up: the provider (with the OpenSSL version), whether
     * client certificates are asked for, and the certificate served (subject, serial, expiry).
     */
    public String description() {
        String provider = tls.provider() == SslProvider.OPENSSL
                ? TlsProviders.cliName(tls.provider()) + " (" + OpenSsl.versionString() + ")"
                : TlsProviders.cliName(tls.provider());
        return "provider " + provider + ", client certificates " + tls.clientAuth().name().toLowerCase(Locale.ROOT)
                + ", handshake timeout " + Durations.format(tls.handshakeTimeout())
                + ", certificate " + PemFiles.describe(tls.certificate());
    }

    /** Stops watching the files; connections open and handlers made keep working. Idempotent. */
    @Override
    public void close() {
        tls.close();
    }
}
