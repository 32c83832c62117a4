package io.netserve.core.internal.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The client side of TLS: TLS 1.3 and 1.2, the server's certificate checked against a PEM trust
 * bundle (or the JDK's default trust store) and, by default, against the host name the client
 * connects to; optionally a client certificate for mutual TLS.
 *
 * <pre>{@code
 * ClientTls tls = ClientTls.builder().trustBundle(Path.of("ca.pem")).build();
 * // in the client's ChannelInitializer:
 * pipeline.addLast("tls", tls.newHandler(ch.alloc(), "db.example.com", 7000));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ClientTls {

    private final SslContext context;
    private final SslProvider provider;

    private ClientTls(SslContext context, SslProvider provider) {
        this.context = context;
        this.provider = provider;
    }

    /** A builder with the JDK's trust store, no client certificate and host-name verification on. */
    public static Builder builder() {
        return new Builder();
    }

    /** The provider in use: {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}. */
    public SslProvider provider() {
        return provider;
    }

    /**
     * A handler for a new connection to {@code host}:{@code port}, the first in its pipeline. For a
     * DNS name it sends SNI; host-name verification, when on, checks the server's certificate
     * against {@code host} (a DNS name or an IP literal). Its handshake starts when the channel
     * becomes active.
     */
    public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        Objects.requireNonNull(host, "host");
        SslHandler handler = context.newHandler(alloc, host, port);
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
            // Both engines send SNI for the peer host only if it has a dot; "localhost" is a DNS name too.
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            engine.setSSLParameters(parameters);
        }
        return handler;
    }

    /** Settings of a {@link ClientTls}; {@link #build()} loads the files. */
    public static final class Builder {

        private Path trustBundleFile;
        private Path certificateChainFile;
        private Path privateKeyFile;
        private SslProvider provider;
        private boolean hostnameVerification = true;

        private Builder() {
        }

        /** PEM bundle of the CAs the server's certificate must chain to; {@code null} (the default) for the JDK's trust store. */
        public Builder trustBundle(Path trustBundleFile) {
            this.trustBundleFile = trustBundleFile;
            return this;
        }

        /** A client certificate chain and its key, PEM, for servers that ask for one; both or neither. */
        public Builder keyPair(Path certificateChainFile, Path privateKeyFile) {
            if ((certificateChainFile == null) != (privateKeyFile == null)) {
                throw new IllegalArgumentException("a client certificate needs both its chain and its key");
            }
            this.certificateChainFile = certificateChainFile;
            this.privateKeyFile = privateKeyFile;
            return this;
        }

        /** {@link SslProvider#OPENSSL}, {@link SslProvider#JDK}, or {@code null} (the default) for OpenSSL if it loads. */
        public Builder provider(SslProvider provider) {
            this.provider = provider;
            return this;
        }

        /** Whether the server's certificate must name the host connected to. Default on; off only for tests and pinned setups. */
        public Builder hostnameVerification(boolean hostnameVerification) {
            this.hostnameVerification = hostnameVerification;
            return this;
        }

        /**
         * Loads the files and makes the context.
         *
         * @throws TlsFileException naming a file that is missing, unreadable, not PEM, or a client
         *         key that does not match its certificate or a client certificate out of its
         *         validity period
         * @throws IllegalArgumentException if the requested provider does not load
         */
        public ClientTls build() throws TlsFileException {
            SslProvider resolved = TlsProviders.resolve(provider);
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(resolved)
                    .protocols(TlsProviders.PROTOCOLS)
                    .endpointIdentificationAlgorithm(hostnameVerification ? "HTTPS" : null);
            if (trustBundleFile != null) {
                builder.trustManager(PemFiles.certificates(trustBundleFile, PemFiles.read(trustBundleFile)));
            }
            if (certificateChainFile != null) {
                List<X509Certificate> chain = PemFiles.certificates(certificateChainFile, PemFiles.read(certificateChainFile));
                PrivateKey key = PemFiles.privateKey(privateKeyFile, PemFiles.read(privateKeyFile));
                PemFiles.checkKeyMatches(privateKeyFile, key, certificateChainFile, chain.get(0));
                PemFiles.checkValidity(certificateChainFile, chain, Instant.now());
                builder.keyManager(key, chain);
            }
            try {
                return new ClientTls(builder.build(), resolved);
            } catch (Exception e) {
                Path blamed = certificateChainFile != null ? certificateChainFile : trustBundleFile;
                if (blamed == null) {
                    throw new IllegalStateException("the " + TlsProviders.cliName(resolved)
                            + " TLS provider cannot make a client context", e);
                }
                throw new TlsFileException(blamed, "rejected by the " + TlsProviders.cliName(resolved)
                        + " TLS provider: " + e.getMessage());
            }
        }
    }
}
