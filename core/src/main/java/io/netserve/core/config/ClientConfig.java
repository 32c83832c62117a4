package io.netserve.core.config;

import io.netserve.core.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslProvider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable configuration of a TCP or UDP client: the server it talks to, the transport, the
 * timeouts that bound every wait, how many requests may be in flight, reconnecting, and TLS. Every
 * value but the server's address has a safe default (timeouts on, requests bounded, reconnect off,
 * host names verified); every setter validates at once and names the field, the value and the
 * allowed range when it refuses one.
 *
 * <pre>{@code
 * ClientConfig config = ClientConfig.builder("db.internal", 7000)
 *         .connectTimeout(Duration.ofSeconds(2))
 *         .requestTimeout(Duration.ofMillis(500))
 *         .reconnect(true)
 *         .tls(true)                                  // the JDK's trust store, host name verified
 *         .build();
 * }</pre>
 *
 * <p>Settings marked <em>TCP</em> are used by {@code TcpClient} and {@code RequestClient} only,
 * those marked <em>UDP</em> by {@code UdpClient} only; the rest by both. The {@code DEFAULT_...}
 * constants are the one source of the defaults.
 */
public final class ClientConfig {

    /** Default of {@link #connectTimeout()}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default of {@link #requestTimeout()}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default of {@link #retries()}. */
    public static final int DEFAULT_RETRIES = 2;
    /** Default of {@link #maxRequestsInFlight()}. */
    public static final int DEFAULT_MAX_REQUESTS_IN_FLIGHT = 1024;
    /** Default of {@link #reconnectInitialDelay()}. */
    public static final Duration DEFAULT_RECONNECT_INITIAL_DELAY = Duration.ofMillis(100);
    /** Default of {@link #reconnectMaxDelay()}. */
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(30);
    /** Default of {@link #writeBufferLowWaterMark()}. */
    public static final int DEFAULT_WRITE_BUFFER_LOW_WATER_MARK = 32 * 1024;
    /** Default of {@link #writeBufferHighWaterMark()}. */
    public static final int DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK = 64 * 1024;

    private final String host;
    private final int port;
    private final Transport transport;
    private final EventLoopGroup eventLoopGroup;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int retries;
    private final int maxRequestsInFlight;
    private final Duration readerIdleTimeout;
    private final Duration writerIdleTimeout;
    private final Duration allIdleTimeout;
    private final int writeBufferLowWaterMark;
    private final int writeBufferHighWaterMark;
    private final int maxDatagramSize;
    private final boolean reconnect;
    private final Duration reconnectInitialDelay;
    private final Duration reconnectMaxDelay;
    private final boolean tls;
    private final Path tlsTrustBundle;
    private final Path tlsCertificateChain;
    private final Path tlsPrivateKey;
    private final boolean tlsHostnameVerification;
    private final SslProvider tlsProvider;

    private ClientConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.transport = b.transport;
        this.eventLoopGroup = b.eventLoopGroup;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.retries = b.retries;
        this.maxRequestsInFlight = b.maxRequestsInFlight;
        this.readerIdleTimeout = b.readerIdleTimeout;
        this.writerIdleTimeout = b.writerIdleTimeout;
        this.allIdleTimeout = b.allIdleTimeout;
        this.writeBufferLowWaterMark = b.writeBufferLowWaterMark;
        this.writeBufferHighWaterMark = b.writeBufferHighWaterMark;
        this.maxDatagramSize = b.maxDatagramSize;
        this.reconnect = b.reconnect;
        this.reconnectInitialDelay = b.reconnectInitialDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.tls = b.tls;
        this.tlsTrustBundle = b.tlsTrustBundle;
        this.tlsCertificateChain = b.tlsCertificateChain;
        this.tlsPrivateKey = b.tlsPrivateKey;
        this.tlsHostnameVerification = b.tlsHostnameVerification;
        this.tlsProvider = b.tlsProvider;
    }

    /**
     * A builder for a client of the server at {@code host} (a name, an IPv4 or an IPv6 literal)
     * and {@code port} (1 to 65,535), holding the defaults for everything else.
     */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /** A builder that starts from this configuration, for deriving a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The server's host: a name, an IPv4 or an IPv6 literal. A name is resolved when the client
     * connects, and each of its addresses is tried in the order the resolver gives them until one
     * answers.
     */
    public String host() {
        return host;
    }

    /** The server's port, 1 to 65,535. */
    public int port() {
        return port;
    }

    /** The requested transport. Default {@link Transport#AUTO}; ignored with an {@link #eventLoopGroup()}. */
    public Transport transport() {
        return transport;
    }

    /**
     * An event-loop group to run on instead of the client's own one-thread group (a client's
     * connection lives on one event loop), for example a server's
     * ({@code ServerHandle.eventLoopGroup()}), so that a service that serves and calls out starts
     * one set of threads. The client runs on the group's transport and never shuts it down: the
     * group must outlive the client. Empty (the default): the client starts and stops its own.
     */
    public Optional<EventLoopGroup> eventLoopGroup() {
        return Optional.ofNullable(eventLoopGroup);
    }

    /**
     * Longest wait for a TCP connection to each of the server's addresses, and then for the TLS
     * handshake; zero waits forever. A connection that does not come fails with
     * {@code io.netty.channel.ConnectTimeoutException}. Default 10 s.
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Longest wait for the reply to a request, from the moment it is sent, failing it with a
     * {@code java.util.concurrent.TimeoutException}; for UDP, the wait for each try. Zero waits
     * forever. Default 10 s.
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** UDP: times a request is sent again when its reply does not come within the request timeout, 0 to 100. Default 2. */
    public int retries() {
        return retries;
    }

    /**
     * Requests accepted and not yet answered (sent, or waiting for the connection to become
     * writable), 1 to 1,000,000; one more is refused at once with a
     * {@code java.util.concurrent.RejectedExecutionException}, so a client of a server that stops
     * reading holds bounded memory. Default 1,024.
     */
    public int maxRequestsInFlight() {
        return maxRequestsInFlight;
    }

    /** TCP: a connection that has read nothing this long is idle; zero turns it off (default). */
    public Duration readerIdleTimeout() {
        return readerIdleTimeout;
    }

    /** TCP: a connection that has written nothing this long is idle; zero turns it off (default). */
    public Duration writerIdleTimeout() {
        return writerIdleTimeout;
    }

    /**
     * TCP: a connection that has neither read nor made write progress this long is idle; zero
     * turns it off (default). An idle connection is closed unless the protocol chose another
     * {@code IdlePolicy}, such as one that sends a heartbeat.
     */
    public Duration allIdleTimeout() {
        return allIdleTimeout;
    }

    /** TCP: pending outbound bytes below which a connection becomes writable again. Default 32 KiB. */
    public int writeBufferLowWaterMark() {
        return writeBufferLowWaterMark;
    }

    /** TCP: pending outbound bytes above which a connection stops being writable. Default 64 KiB. */
    public int writeBufferHighWaterMark() {
        return writeBufferHighWaterMark;
    }

    /** UDP: largest reply read whole, 1 to 65,507; longer ones are dropped. Default 65,507. */
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    /**
     * TCP: whether a client whose connection was lost connects again, after an exponential backoff
     * with jitter from {@link #reconnectInitialDelay()} up to {@link #reconnectMaxDelay()}, until it
     * is closed. Requests while it is disconnected fail at once with a
     * {@code java.net.ConnectException}. Default {@code false}: a lost connection closes the client.
     */
    public boolean reconnect() {
        return reconnect;
    }

    /** TCP: the delay before the first attempt to reconnect; each failed attempt doubles it. Default 100 ms. */
    public Duration reconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    /** TCP: the longest delay between two attempts to reconnect. Default 30 s. */
    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** TCP: whether the client speaks TLS (1.3 or 1.2). Default {@code false}. */
    public boolean tls() {
        return tls;
    }

    /** TCP: the PEM bundle of CAs the server's certificate must chain to; empty (the default) for the JDK's trust store. */
    public Optional<Path> tlsTrustBundle() {
        return Optional.ofNullable(tlsTrustBundle);
    }

    /** TCP: the PEM client certificate chain presented to servers that ask for one, if any. */
    public Optional<Path> tlsCertificateChain() {
        return Optional.ofNullable(tlsCertificateChain);
    }

    /** TCP: the PEM private key (PKCS#8, or the traditional RSA or EC form) of the client certificate, if any. */
    public Optional<Path> tlsPrivateKey() {
        return Optional.ofNullable(tlsPrivateKey);
    }

    /**
     * TCP: whether the server's certificate must name the {@link #host()} connected to (a DNS name
     * or an IP address). Default {@code true}; off only for tests and pinned setups.
     */
    public boolean tlsHostnameVerification() {
        return tlsHostnameVerification;
    }

    /** TCP: the TLS provider asked for; empty (the default) takes OpenSSL when it loads, else the JDK. */
    public Optional<SslProvider> tlsProvider() {
        return Optional.ofNullable(tlsProvider);
    }

    @Override
    public String toString() {
        return "ClientConfig{server=" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port
                + ", transport=" + (eventLoopGroup != null ? "shared group" : transport.cliName())
                + ", connectTimeout=" + Durations.format(connectTimeout)
                + ", requestTimeout=" + Durations.format(requestTimeout)
                + ", maxRequestsInFlight=" + maxRequestsInFlight
                + (reconnect ? ", reconnect=" + Durations.format(reconnectInitialDelay) + ".."
                        + Durations.format(reconnectMaxDelay) : "")
                + (tls ? ", tls" + (tlsHostnameVerification ? "" : " (host name not verified)") : "") + "}";
    }

    /** Builds a {@link ClientConfig}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private String host;
        private int port;
        private Transport transport = Transport.AUTO;
        private EventLoopGroup eventLoopGroup;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int retries = DEFAULT_RETRIES;
        private int maxRequestsInFlight = DEFAULT_MAX_REQUESTS_IN_FLIGHT;
        private Duration readerIdleTimeout = Duration.ZERO;
        private Duration writerIdleTimeout = Duration.ZERO;
        private Duration allIdleTimeout = Duration.ZERO;
        private int writeBufferLowWaterMark = DEFAULT_WRITE_BUFFER_LOW_WATER_MARK;
        private int writeBufferHighWaterMark = DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK;
        private int maxDatagramSize = ServerConfig.MAX_UDP_PAYLOAD;
        private boolean reconnect;
        private Duration reconnectInitialDelay = DEFAULT_RECONNECT_INITIAL_DELAY;
        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
        private boolean tls;
        private Path tlsTrustBundle;
        private Path tlsCertificateChain;
        private Path tlsPrivateKey;
        private boolean tlsHostnameVerification = true;
        private SslProvider tlsProvider;

        private Builder(String host, int port) {
            host(host);
            port(port);
        }

        private Builder(ClientConfig c) {
            host = c.host;
            port = c.port;
            transport = c.transport;
            eventLoopGroup = c.eventLoopGroup;
            connectTimeout = c.connectTimeout;
            requestTimeout = c.requestTimeout;
            retries = c.retries;
            maxRequestsInFlight = c.maxRequestsInFlight;
            readerIdleTimeout = c.readerIdleTimeout;
            writerIdleTimeout = c.writerIdleTimeout;
            allIdleTimeout = c.allIdleTimeout;
            writeBufferLowWaterMark = c.writeBufferLowWaterMark;
            writeBufferHighWaterMark = c.writeBufferHighWaterMark;
            maxDatagramSize = c.maxDatagramSize;
            reconnect = c.reconnect;
            reconnectInitialDelay = c.reconnectInitialDelay;
            reconnectMaxDelay = c.reconnectMaxDelay;
            tls = c.tls;
            tlsTrustBundle = c.tlsTrustBundle;
            tlsCertificateChain = c.tlsCertificateChain;
            tlsPrivateKey = c.tlsPrivateKey;
            tlsHostnameVerification = c.tlsHostnameVerification;
            tlsProvider = c.tlsProvider;
        }

        /** See {@link ClientConfig#host()}; must not be blank. */
        public Builder host(String host) {
            this.host = Ranges.host("host", host);
            return this;
        }

        /** See {@link ClientConfig#port()}; 1 to 65,535. */
        public Builder port(int port) {
            this.port = Ranges.inRange("port", port, 1, 65_535);
            return this;
        }

        /** See {@link ClientConfig#transport()}. */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** See {@link ClientConfig#eventLoopGroup()}; null for the client's own. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = group;
            return this;
        }

        /** See {@link ClientConfig#connectTimeout()}; zero (none) to 24 hours. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Ranges.duration("connectTimeout", d);
            return this;
        }

        /** See {@link ClientConfig#requestTimeout()}; zero (none) to 24 hours. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = Ranges.duration("requestTimeout", d);
            return this;
        }

        /** See {@link ClientConfig#retries()}; 0 to 100. */
        public Builder retries(int retries) {
            this.retries = Ranges.inRange("retries", retries, 0, 100);
            return this;
        }

        /** See {@link ClientConfig#maxRequestsInFlight()}; 1 to 1,000,000. */
        public Builder maxRequestsInFlight(int n) {
            this.maxRequestsInFlight = Ranges.inRange("maxRequestsInFlight", n, 1, 1_000_000);
            return this;
        }

        /** See {@link ClientConfig#readerIdleTimeout()}; zero (off) to 24 hours. */
        public Builder readerIdleTimeout(Duration d) {
            this.readerIdleTimeout = Ranges.duration("readerIdleTimeout", d);
            return this;
        }

        /** See {@link ClientConfig#writerIdleTimeout()}; zero (off) to 24 hours. */
        public Builder writerIdleTimeout(Duration d) {
            this.writerIdleTimeout = Ranges.duration("writerIdleTimeout", d);
            return this;
        }

        /** See {@link ClientConfig#allIdleTimeout()}; zero (off) to 24 hours. */
        public Builder allIdleTimeout(Duration d) {
            this.allIdleTimeout = Ranges.duration("allIdleTimeout", d);
            return this;
        }

        /**
         * Sets both water marks of {@link ClientConfig#writeBufferLowWaterMark()} and
         * {@link ClientConfig#writeBufferHighWaterMark()}: 1 byte to 64 MiB, low at most high.
         */
        public Builder writeBufferWaterMark(int low, int high) {
            Ranges.inRange("writeBufferLowWaterMark", low, 1, 64 << 20);
            Ranges.inRange("writeBufferHighWaterMark", high, 1, 64 << 20);
            if (low > high) {
                throw new IllegalArgumentException("writeBufferLowWaterMark must be at most writeBufferHighWaterMark ("
                        + high + "), was " + low);
            }
            this.writeBufferLowWaterMark = low;
            this.writeBufferHighWaterMark = high;
            return this;
        }

        /** See {@link ClientConfig#maxDatagramSize()}; 1 to 65,507. */
        public Builder maxDatagramSize(int bytes) {
            this.maxDatagramSize = Ranges.inRange("maxDatagramSize", bytes, 1, ServerConfig.MAX_UDP_PAYLOAD);
            return this;
        }

        /** See {@link ClientConfig#reconnect()}. */
        public Builder reconnect(boolean reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        /**
         * See {@link ClientConfig#reconnectInitialDelay()} and {@link ClientConfig#reconnectMaxDelay()}:
         * both more than zero and at most 24 hours, the initial one at most the maximum.
         */
        public Builder reconnectBackoff(Duration initialDelay, Duration maxDelay) {
            Ranges.positive("reconnectInitialDelay", initialDelay);
            Ranges.positive("reconnectMaxDelay", maxDelay);
            if (initialDelay.compareTo(maxDelay) > 0) {
                throw new IllegalArgumentException("reconnectInitialDelay must be at most reconnectMaxDelay ("
                        + Durations.format(maxDelay) + "), was " + Durations.format(initialDelay));
            }
            this.reconnectInitialDelay = initialDelay;
            this.reconnectMaxDelay = maxDelay;
            return this;
        }

        /** See {@link ClientConfig#tls()}. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** See {@link ClientConfig#tlsTrustBundle()}; null for the JDK's trust store. */
        public Builder tlsTrustBundle(Path caBundle) {
            this.tlsTrustBundle = caBundle;
            return this;
        }

        /**
         * A client certificate chain and its private key (see {@link ClientConfig#tlsCertificateChain()}),
         * both or neither: null for both presents none.
         */
        public Builder tlsKeyPair(Path certificateChain, Path privateKey) {
            if ((certificateChain == null) != (privateKey == null)) {
                throw new IllegalArgumentException("tlsKeyPair needs both a certificate chain and a private key, or neither");
            }
            this.tlsCertificateChain = certificateChain;
            this.tlsPrivateKey = privateKey;
            return this;
        }

        /** See {@link ClientConfig#tlsHostnameVerification()}. */
        public Builder tlsHostnameVerification(boolean verify) {
            this.tlsHostnameVerification = verify;
            return this;
        }

        /** See {@link ClientConfig#tlsProvider()}: {@code OPENSSL}, {@code JDK}, or null for auto. */
        public Builder tlsProvider(SslProvider provider) {
            if (provider == SslProvider.OPENSSL_REFCNT) {
                throw new IllegalArgumentException("tlsProvider must be OPENSSL or JDK (or null for auto), was "
                        + provider);
            }
            this.tlsProvider = provider;
            return this;
        }

        /**
         * The configuration as set so far.
         *
         * @throws IllegalArgumentException if a trust bundle or a client certificate is set without TLS
         */
        public ClientConfig build() {
            if (!tls && tlsTrustBundle != null) {
                throw new IllegalArgumentException("tlsTrustBundle needs tls(true)");
            }
            if (!tls && tlsCertificateChain != null) {
                throw new IllegalArgumentException("tlsKeyPair needs tls(true)");
            }
            return new ClientConfig(this);
        }
    }
}
