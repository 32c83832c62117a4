package io.netserve.core.config;

import io.netserve.core.Transport;

import java.time.Duration;
import java.util.Objects;

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

    private static final Duration MAX_DURATION = Duration.ofHours(24);

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

    @Override
    public String toString() {
        return "ServerConfig{host=" + host + ", port=" + port + ", transport=" + transport
                + ", ioThreads=" + ioThreads + ", shutdownTimeout=" + Durations.format(shutdownTimeout)
                + ", allIdleTimeout=" + Durations.format(allIdleTimeout)
                + ", writeStallTimeout=" + Durations.format(writeStallTimeout)
                + ", maxConnections=" + maxConnections + ", maxDatagramSize=" + maxDatagramSize
                + ", rateLimitPerSecond=" + rateLimitPerSecond + "}";
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

        /** The configuration as set so far. */
        public ServerConfig build() {
            return new ServerConfig(this);
        }

        private static int inRange(String field, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        field + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }

        private static Duration duration(String field, Duration d) {
            Objects.requireNonNull(d, field);
            if (d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException(
                        field + " must be between 0 and 24h, was " + Durations.format(d));
            }
            return d;
        }
    }
}
