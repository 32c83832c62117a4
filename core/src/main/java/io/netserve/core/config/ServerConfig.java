package io.netserve.core.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.netserve.core.Transport;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslProvider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable configuration of a TCP or UDP server: where it binds, which transport it runs on,
 * and the guards that keep it healthy under abuse. Every value has a safe default (loopback bind,
 * timeouts and limits on); every setter validates at once and names the field, the value and the
 * allowed range when it refuses one.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder()
 *         .host("::1")
 *         .port(0)                                  // let the OS pick
 *         .allIdleTimeout(Duration.ofSeconds(30))
 *         .maxConnections(1_000)
 *         .build();
 * }</pre>
 *
 * <p>Settings marked <em>TCP</em> are used by {@code TcpServer} only, those marked <em>UDP</em> by
 * {@code UdpServer} only; the rest by both. The {@code DEFAULT_...} constants are the one source of
 * the defaults: command lines and documentation take theirs from here.
 */
public final class ServerConfig {

    /** The largest payload of a UDP datagram over IPv4: 65,535 minus the IP and UDP headers. */
    public static final int MAX_UDP_PAYLOAD = 65_507;
    /** Default of {@link #host()}: loopback, so nothing is exposed by accident. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default of {@link #shutdownTimeout()}. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    /** Default of {@link #allIdleTimeout()}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(300);
    /** Default of {@link #writeStallTimeout()}. */
    public static final Duration DEFAULT_WRITE_STALL_TIMEOUT = Duration.ofSeconds(30);
    /** Default of {@link #maxConnections()}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Default of {@link #maxDatagramSize()}: every datagram IPv4 can carry. */
    public static final int DEFAULT_MAX_DATAGRAM_SIZE = MAX_UDP_PAYLOAD;
    /** Default of {@link #rateLimitPerSecond()}: unlimited. */
    public static final int DEFAULT_RATE_LIMIT_PER_SECOND = 0;
    /** Default of {@link #rateLimitMaxSources()}. */
    public static final int DEFAULT_RATE_LIMIT_MAX_SOURCES = 65_536;
    /** Default of {@link #adminHost()}: loopback, so only the host's own probes and scrapers reach it. */
    public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
    /** {@link #adminPort()} when there is no admin endpoint (the default). */
    public static final int ADMIN_OFF = -1;
    /** Default of {@link #drainDelay()}: none. */
    public static final Duration DEFAULT_DRAIN_DELAY = Duration.ZERO;
    /** Default of {@link #tlsHandshakeTimeout()}. */
    public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Default of {@link #maxBufferedBytes()}: 64 MiB, so that a default server stays within the
     * memory the project's Kubernetes manifests request however many peers stop reading.
     */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L << 20;

    private final String host;
    private final int port;
    private final Transport transport;
    private final int ioThreads;
    private final Duration shutdownQuietPeriod;
    private final Duration shutdownTimeout;
    private final Duration readerIdleTimeout;
    private final Duration writerIdleTimeout;
    private final Duration allIdleTimeout;
    private final Duration writeStallTimeout;
    private final int maxConnections;
    private final int writeBufferLowWaterMark;
    private final int writeBufferHighWaterMark;
    private final int backlog;
    private final int maxDatagramSize;
    private final int rateLimitPerSecond;
    private final int rateLimitMaxSources;
    private final boolean allowPrivilegedSourcePorts;
    private final String adminHost;
    private final int adminPort;
    private final MeterRegistry meterRegistry;
    private final boolean reusePort;
    private final Duration drainDelay;
    private final boolean proxyProtocol;
    private final Path tlsCertificateChain;
    private final Path tlsPrivateKey;
    private final Path tlsClientCa;
    private final ClientAuth tlsClientAuth;
    private final SslProvider tlsProvider;
    private final Duration tlsHandshakeTimeout;
    private final long maxBufferedBytes;

    private ServerConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.transport = b.transport;
        this.ioThreads = b.ioThreads;
        this.shutdownQuietPeriod = b.shutdownQuietPeriod;
        this.shutdownTimeout = b.shutdownTimeout;
        this.readerIdleTimeout = b.readerIdleTimeout;
        this.writerIdleTimeout = b.writerIdleTimeout;
        this.allIdleTimeout = b.allIdleTimeout;
        this.writeStallTimeout = b.writeStallTimeout;
        this.maxConnections = b.maxConnections;
        this.writeBufferLowWaterMark = b.writeBufferLowWaterMark;
        this.writeBufferHighWaterMark = b.writeBufferHighWaterMark;
        this.backlog = b.backlog;
        this.maxDatagramSize = b.maxDatagramSize;
        this.rateLimitPerSecond = b.rateLimitPerSecond;
        this.rateLimitMaxSources = b.rateLimitMaxSources;
        this.allowPrivilegedSourcePorts = b.allowPrivilegedSourcePorts;
        this.adminHost = b.adminHost;
        this.adminPort = b.adminPort;
        this.meterRegistry = b.meterRegistry;
        this.reusePort = b.reusePort;
        this.drainDelay = b.drainDelay;
        this.proxyProtocol = b.proxyProtocol;
        this.tlsCertificateChain = b.tlsCertificateChain;
        this.tlsPrivateKey = b.tlsPrivateKey;
        this.tlsClientCa = b.tlsClientCa;
        this.tlsClientAuth = b.tlsClientAuth != null ? b.tlsClientAuth
                : b.tlsClientCa != null ? ClientAuth.REQUIRE : ClientAuth.NONE;
        this.tlsProvider = b.tlsProvider;
        this.tlsHandshakeTimeout = b.tlsHandshakeTimeout;
        this.maxBufferedBytes = b.maxBufferedBytes;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configuration with every default: loopback, an OS-chosen port, the best transport. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from this configuration, for deriving a variant. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Address to bind: a host name, an IPv4 or an IPv6 literal. Default {@code 127.0.0.1}. */
    public String host() {
        return host;
    }

    /** Port to bind, 0 to 65535; 0 lets the OS pick one. Default 0. */
    public int port() {
        return port;
    }

    /** The requested transport. Default {@link Transport#AUTO}. */
    public Transport transport() {
        return transport;
    }

    /** Event-loop threads: one per core by default, as more busy loops than cores hurt tail latency. */
    public int ioThreads() {
        return ioThreads;
    }

    /** Quiet period given to the event loops once every channel is closed. Default zero. */
    public Duration shutdownQuietPeriod() {
        return shutdownQuietPeriod;
    }

    /** Longest graceful drain on close, from unbinding to the event loops stopped. Default 5 s. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
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
     * TCP: a connection that has neither read nor made write progress this long is idle; zero turns
     * it off. Default 300 s. An idle connection is closed, unless the protocol chose another
     * {@code IdlePolicy}.
     */
    public Duration allIdleTimeout() {
        return allIdleTimeout;
    }

    /**
     * TCP: a connection that has stayed unwritable (its peer stopped reading) this long is closed;
     * zero turns it off. Default 30 s.
     */
    public Duration writeStallTimeout() {
        return writeStallTimeout;
    }

    /** TCP: connections open at once; one more is accepted and closed at once. Default 10,000. */
    public int maxConnections() {
        return maxConnections;
    }

    /** TCP: pending outbound bytes below which a connection becomes writable again. Default 32 KiB. */
    public int writeBufferLowWaterMark() {
        return writeBufferLowWaterMark;
    }

    /** TCP: pending outbound bytes above which a connection stops being writable. Default 64 KiB. */
    public int writeBufferHighWaterMark() {
        return writeBufferHighWaterMark;
    }

    /** TCP: the listen backlog. Default 1,024. */
    public int backlog() {
        return backlog;
    }

    /** UDP: largest datagram read whole, 1 to 65,507; larger ones are dropped. Default 65,507. */
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    /** UDP: datagrams per second answered for each source address; zero is unlimited (default). */
    public int rateLimitPerSecond() {
        return rateLimitPerSecond;
    }

    /** UDP: most source addresses the rate limiter tracks at once. Default 65,536. */
    public int rateLimitMaxSources() {
        return rateLimitMaxSources;
    }

    /** UDP: whether datagrams from source ports below 1024 are answered. Default {@code false}. */
    public boolean allowPrivilegedSourcePorts() {
        return allowPrivilegedSourcePorts;
    }

    /** Address of the admin endpoint ({@code /health/live}, {@code /health/ready}, {@code /metrics}). Default {@code 127.0.0.1}. */
    public String adminHost() {
        return adminHost;
    }

    /**
     * Port of the admin endpoint, 0 to let the OS pick one, or {@link #ADMIN_OFF} (the default) for
     * none. It runs on a thread of its own, so the service's traffic never starves it. Its
     * {@code /metrics} needs {@code micrometer-registry-prometheus} on the class path.
     */
    public int adminPort() {
        return adminPort;
    }

    /**
     * The registry the server's meters are bound to, if the embedder gave one (serve it from your
     * own web stack, or let the admin endpoint scrape it when it is a Prometheus registry). Without
     * one, a server with an admin endpoint makes its own Prometheus registry.
     */
    public Optional<MeterRegistry> meterRegistry() {
        return Optional.ofNullable(meterRegistry);
    }

    /**
     * Whether other processes may bind the same address and port ({@code SO_REUSEPORT}), so that
     * the kernel spreads connections (TCP) or datagrams (UDP) among them. Default {@code false}.
     */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * How long {@link io.netserve.core.server.ServerHandle#close()} goes on serving, new
     * connections included, while reporting not ready, before the drain begins: time for a load
     * balancer to take the instance out. Default zero.
     */
    public Duration drainDelay() {
        return drainDelay;
    }

    /**
     * TCP: whether every connection starts with a PROXY protocol header (v1 or v2), whose client
     * address then names the peer in logs and limits. Default {@code false}.
     */
    public boolean proxyProtocol() {
        return proxyProtocol;
    }

    /** TCP: the PEM certificate chain served over TLS, if TLS is on. */
    public Optional<Path> tlsCertificateChain() {
        return Optional.ofNullable(tlsCertificateChain);
    }

    /** TCP: the PEM private key (PKCS#8, or the traditional RSA or EC form) of the certificate, if TLS is on. */
    public Optional<Path> tlsPrivateKey() {
        return Optional.ofNullable(tlsPrivateKey);
    }

    /** TCP: the PEM bundle of CAs client certificates must chain to, if any. */
    public Optional<Path> tlsClientCa() {
        return Optional.ofNullable(tlsClientCa);
    }

    /**
     * TCP: whether clients are asked for a certificate. Default {@link ClientAuth#REQUIRE} when a
     * client CA bundle is set, else {@link ClientAuth#NONE}.
     */
    public ClientAuth tlsClientAuth() {
        return tlsClientAuth;
    }

    /** TCP: the TLS provider asked for; empty (the default) takes OpenSSL when it loads, else the JDK. */
    public Optional<SslProvider> tlsProvider() {
        return Optional.ofNullable(tlsProvider);
    }

    /** TCP: longest TLS handshake; a client silent or not speaking TLS is closed then. Default 10 s. */
    public Duration tlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    /** TCP: whether TLS is on: a certificate chain and key are set. */
    public boolean tls() {
        return tlsCertificateChain != null;
    }

    /**
     * The server-wide budget of bytes waiting to be written (and, where core sees them, held by a
     * protocol's decoders), across all connections: past it, the connections owing the most stop
     * being read from until the sum falls. Default 64 MiB.
     */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    @Override
    public String toString() {
        return "ServerConfig{host=" + host + ", port=" + port + ", transport=" + transport
                + ", ioThreads=" + ioThreads + ", shutdownTimeout=" + Durations.format(shutdownTimeout)
                + ", allIdleTimeout=" + Durations.format(allIdleTimeout)
                + ", writeStallTimeout=" + Durations.format(writeStallTimeout)
                + ", maxConnections=" + maxConnections + ", maxDatagramSize=" + maxDatagramSize
                + ", rateLimitPerSecond=" + rateLimitPerSecond
                + (adminPort == ADMIN_OFF ? "" : ", admin=" + adminHost + ":" + adminPort)
                + (reusePort ? ", reusePort" : "") + (proxyProtocol ? ", proxyProtocol" : "")
                + (drainDelay.isZero() ? "" : ", drainDelay=" + Durations.format(drainDelay))
                + (tls() ? ", tls=" + tlsCertificateChain : "")
                + ", maxBufferedBytes=" + maxBufferedBytes + "}";
    }

    /** Builds a {@link ServerConfig}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port;
        private Transport transport = Transport.AUTO;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private Duration shutdownQuietPeriod = Duration.ZERO;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration readerIdleTimeout = Duration.ZERO;
        private Duration writerIdleTimeout = Duration.ZERO;
        private Duration allIdleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration writeStallTimeout = DEFAULT_WRITE_STALL_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int writeBufferLowWaterMark = 32 * 1024;
        private int writeBufferHighWaterMark = 64 * 1024;
        private int backlog = 1024;
        private int maxDatagramSize = DEFAULT_MAX_DATAGRAM_SIZE;
        private int rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
        private int rateLimitMaxSources = DEFAULT_RATE_LIMIT_MAX_SOURCES;
        private boolean allowPrivilegedSourcePorts;
        private String adminHost = DEFAULT_ADMIN_HOST;
        private int adminPort = ADMIN_OFF;
        private MeterRegistry meterRegistry;
        private boolean reusePort;
        private Duration drainDelay = DEFAULT_DRAIN_DELAY;
        private boolean proxyProtocol;
        private Path tlsCertificateChain;
        private Path tlsPrivateKey;
        private Path tlsClientCa;
        private ClientAuth tlsClientAuth;
        private SslProvider tlsProvider;
        private Duration tlsHandshakeTimeout = DEFAULT_TLS_HANDSHAKE_TIMEOUT;
        private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;

        private Builder() {
        }

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            transport = c.transport;
            ioThreads = c.ioThreads;
            shutdownQuietPeriod = c.shutdownQuietPeriod;
            shutdownTimeout = c.shutdownTimeout;
            readerIdleTimeout = c.readerIdleTimeout;
            writerIdleTimeout = c.writerIdleTimeout;
            allIdleTimeout = c.allIdleTimeout;
            writeStallTimeout = c.writeStallTimeout;
            maxConnections = c.maxConnections;
            writeBufferLowWaterMark = c.writeBufferLowWaterMark;
            writeBufferHighWaterMark = c.writeBufferHighWaterMark;
            backlog = c.backlog;
            maxDatagramSize = c.maxDatagramSize;
            rateLimitPerSecond = c.rateLimitPerSecond;
            rateLimitMaxSources = c.rateLimitMaxSources;
            allowPrivilegedSourcePorts = c.allowPrivilegedSourcePorts;
            adminHost = c.adminHost;
            adminPort = c.adminPort;
            meterRegistry = c.meterRegistry;
            reusePort = c.reusePort;
            drainDelay = c.drainDelay;
            proxyProtocol = c.proxyProtocol;
            tlsCertificateChain = c.tlsCertificateChain;
            tlsPrivateKey = c.tlsPrivateKey;
            tlsClientCa = c.tlsClientCa;
            tlsClientAuth = c.tlsClientAuth;
            tlsProvider = c.tlsProvider;
            tlsHandshakeTimeout = c.tlsHandshakeTimeout;
            maxBufferedBytes = c.maxBufferedBytes;
        }

        /** See {@link ServerConfig#host()}; must not be blank. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host.trim();
            return this;
        }

        /** See {@link ServerConfig#port()}. */
        public Builder port(int port) {
            this.port = inRange("port", port, 0, 65_535);
            return this;
        }

        /** See {@link ServerConfig#transport()}. */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** See {@link ServerConfig#ioThreads()}; 1 to 1,024. */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = inRange("ioThreads", ioThreads, 1, 1024);
            return this;
        }

        /** See {@link ServerConfig#shutdownQuietPeriod()}; zero or more, at most 24 hours. */
        public Builder shutdownQuietPeriod(Duration d) {
            this.shutdownQuietPeriod = duration("shutdownQuietPeriod", d);
            return this;
        }

        /** See {@link ServerConfig#shutdownTimeout()}; zero or more, at most 24 hours. */
        public Builder shutdownTimeout(Duration d) {
            this.shutdownTimeout = duration("shutdownTimeout", d);
            return this;
        }

        /** See {@link ServerConfig#readerIdleTimeout()}; zero (off) to 24 hours. */
        public Builder readerIdleTimeout(Duration d) {
            this.readerIdleTimeout = duration("readerIdleTimeout", d);
            return this;
        }

        /** See {@link ServerConfig#writerIdleTimeout()}; zero (off) to 24 hours. */
        public Builder writerIdleTimeout(Duration d) {
            this.writerIdleTimeout = duration("writerIdleTimeout", d);
            return this;
        }

        /** See {@link ServerConfig#allIdleTimeout()}; zero (off) to 24 hours. */
        public Builder allIdleTimeout(Duration d) {
            this.allIdleTimeout = duration("allIdleTimeout", d);
            return this;
        }

        /** See {@link ServerConfig#writeStallTimeout()}; zero (off) to 24 hours. */
        public Builder writeStallTimeout(Duration d) {
            this.writeStallTimeout = duration("writeStallTimeout", d);
            return this;
        }

        /** See {@link ServerConfig#maxConnections()}; 1 to 1,000,000. */
        public Builder maxConnections(int n) {
            this.maxConnections = inRange("maxConnections", n, 1, 1_000_000);
            return this;
        }

        /**
         * Sets both water marks of {@link ServerConfig#writeBufferLowWaterMark()} and
         * {@link ServerConfig#writeBufferHighWaterMark()}: 1 byte to 64 MiB, low at most high.
         */
        public Builder writeBufferWaterMark(int low, int high) {
            inRange("writeBufferLowWaterMark", low, 1, 64 << 20);
            inRange("writeBufferHighWaterMark", high, 1, 64 << 20);
            if (low > high) {
                throw new IllegalArgumentException("writeBufferLowWaterMark must be at most writeBufferHighWaterMark ("
                        + high + "), was " + low);
            }
            this.writeBufferLowWaterMark = low;
            this.writeBufferHighWaterMark = high;
            return this;
        }

        /** See {@link ServerConfig#backlog()}; 1 to 65,535. */
        public Builder backlog(int backlog) {
            this.backlog = inRange("backlog", backlog, 1, 65_535);
            return this;
        }

        /** See {@link ServerConfig#maxDatagramSize()}; 1 to 65,507. */
        public Builder maxDatagramSize(int bytes) {
            this.maxDatagramSize = inRange("maxDatagramSize", bytes, 1, MAX_UDP_PAYLOAD);
            return this;
        }

        /** See {@link ServerConfig#rateLimitPerSecond()}; 0 (unlimited) to 10,000,000. */
        public Builder rateLimitPerSecond(int pps) {
            this.rateLimitPerSecond = inRange("rateLimitPerSecond", pps, 0, 10_000_000);
            return this;
        }

        /** See {@link ServerConfig#rateLimitMaxSources()}; 1 to 10,000,000. */
        public Builder rateLimitMaxSources(int n) {
            this.rateLimitMaxSources = inRange("rateLimitMaxSources", n, 1, 10_000_000);
            return this;
        }

        /** See {@link ServerConfig#allowPrivilegedSourcePorts()}. */
        public Builder allowPrivilegedSourcePorts(boolean allow) {
            this.allowPrivilegedSourcePorts = allow;
            return this;
        }

        /** See {@link ServerConfig#adminHost()}; must not be blank. */
        public Builder adminHost(String host) {
            Objects.requireNonNull(host, "adminHost");
            if (host.isBlank()) {
                throw new IllegalArgumentException("adminHost must not be blank");
            }
            this.adminHost = host.trim();
            return this;
        }

        /** See {@link ServerConfig#adminPort()}; 0 to 65535, or {@link #ADMIN_OFF}. */
        public Builder adminPort(int port) {
            this.adminPort = port == ADMIN_OFF ? ADMIN_OFF : inRange("adminPort", port, 0, 65_535);
            return this;
        }

        /** See {@link ServerConfig#meterRegistry()}; null for none. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** See {@link ServerConfig#reusePort()}. */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /** See {@link ServerConfig#drainDelay()}; zero (off) to 24 hours. */
        public Builder drainDelay(Duration d) {
            this.drainDelay = duration("drainDelay", d);
            return this;
        }

        /** See {@link ServerConfig#proxyProtocol()}. */
        public Builder proxyProtocol(boolean proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
            return this;
        }

        /**
         * Turns TLS on with this PEM certificate chain and private key (see
         * {@link ServerConfig#tlsCertificateChain()}); both or neither: null for both turns it off.
         */
        public Builder tls(Path certificateChain, Path privateKey) {
            if ((certificateChain == null) != (privateKey == null)) {
                throw new IllegalArgumentException("tls needs both a certificate chain and a private key, or neither");
            }
            this.tlsCertificateChain = certificateChain;
            this.tlsPrivateKey = privateKey;
            return this;
        }

        /** See {@link ServerConfig#tlsClientCa()}; null for none. */
        public Builder tlsClientCa(Path caBundle) {
            this.tlsClientCa = caBundle;
            return this;
        }

        /** See {@link ServerConfig#tlsClientAuth()}; null for the default. */
        public Builder tlsClientAuth(ClientAuth clientAuth) {
            this.tlsClientAuth = clientAuth;
            return this;
        }

        /** See {@link ServerConfig#tlsProvider()}: {@code OPENSSL}, {@code JDK}, or null for auto. */
        public Builder tlsProvider(SslProvider provider) {
            if (provider == SslProvider.OPENSSL_REFCNT) {
                throw new IllegalArgumentException("tlsProvider must be OPENSSL or JDK (or null for auto), was "
                        + provider);
            }
            this.tlsProvider = provider;
            return this;
        }

        /** See {@link ServerConfig#tlsHandshakeTimeout()}; more than zero, at most 24 hours. */
        public Builder tlsHandshakeTimeout(Duration d) {
            this.tlsHandshakeTimeout = duration("tlsHandshakeTimeout", d);
            if (d.isZero()) {
                throw new IllegalArgumentException("tlsHandshakeTimeout must be positive, was 0");
            }
            return this;
        }

        /** See {@link ServerConfig#maxBufferedBytes()}; 64 KiB to 64 GiB. */
        public Builder maxBufferedBytes(long bytes) {
            if (bytes < 64 * 1024 || bytes > 64L << 30) {
                throw new IllegalArgumentException("maxBufferedBytes must be between 65536 and " + (64L << 30)
                        + ", was " + bytes);
            }
            this.maxBufferedBytes = bytes;
            return this;
        }

        /**
         * The configuration as set so far.
         *
         * @throws IllegalArgumentException if the TLS settings do not fit together: client
         *     certificates asked for without a CA bundle, or a CA bundle without TLS
         */
        public ServerConfig build() {
            if (tlsClientCa != null && tlsCertificateChain == null) {
                throw new IllegalArgumentException("tlsClientCa needs tls (a certificate chain and a private key)");
            }
            if (tlsClientCa == null && (tlsClientAuth == ClientAuth.OPTIONAL || tlsClientAuth == ClientAuth.REQUIRE)) {
                throw new IllegalArgumentException("tlsClientAuth " + tlsClientAuth.name().toLowerCase(Locale.ROOT)
                        + " needs tlsClientCa (a CA bundle that client certificates chain to)");
            }
            return new ServerConfig(this);
        }

        private static int inRange(String field, int value, int min, int max) {
            return Ranges.inRange(field, value, min, max);
        }

        private static Duration duration(String field, Duration d) {
            return Ranges.duration(field, d);
        }
    }
}
