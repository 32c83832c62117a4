package io.netserve.core.internal.tls;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server side of TLS: a certificate chain and private key from PEM files, optionally a CA
 * bundle that client certificates must chain to, TLS 1.3 and 1.2 with the provider's default
 * ciphers, and a handshake timeout. The certificate can be replaced while the server runs:
 * {@link #reload()} re-reads the files now, {@link #watch(Duration)} polls them; new connections
 * get the new certificate, open ones keep theirs.
 *
 * <pre>{@code
 * ServerTls tls = ServerTls.builder(Path.of("tls.crt"), Path.of("tls.key"))
 *         .handshakeTimeout(Duration.ofSeconds(10))
 *         .build();                    // TlsFileException: "<file>: <reason>"
 * tls.watch(Duration.ofSeconds(1));
 * // for each accepted connection, at the head of its pipeline:
 * pipeline.addLast("tls", tls.newHandler());
 * pipeline.addLast("tls-handshake", new TlsHandshakeHandler(context));
 * // when the server stops:
 * tls.close();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ServerTls implements AutoCloseable {

    /** A poll interval for {@link #watch(Duration)} that takes a change within about 2 s. */
    public static final Duration DEFAULT_WATCH_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final Path certificateChainFile;
    private final Path privateKeyFile;
    private final Path clientCaFile;
    private final List<Path> files;
    private final ClientAuth clientAuth;
    private final SslProvider provider;
    private final long handshakeTimeoutMillis;
    private final Mapping<String, SslContext> currentContext;

    private final Object lock = new Object();
    private volatile Loaded current;
    // Guarded by lock: the watcher's view of the files.
    private ScheduledExecutorService watcher;
    private boolean closed;
    private byte[] lastSeenDigest;
    private byte[] lastFailedDigest;

    private ServerTls(Builder builder) throws TlsFileException {
        this.certificateChainFile = builder.certificateChainFile;
        this.privateKeyFile = builder.privateKeyFile;
        this.clientCaFile = builder.clientCaFile;
        this.clientAuth = builder.clientAuth;
        this.provider = TlsProviders.resolve(builder.provider);
        this.handshakeTimeoutMillis = builder.handshakeTimeout.toMillis();
        List<Path> all = new ArrayList<>(List.of(certificateChainFile, privateKeyFile));
        if (clientCaFile != null) {
            all.add(clientCaFile);
        }
        this.files = List.copyOf(all);
        this.current = load(Snapshot.read(files));
        this.lastSeenDigest = current.digest;
        this.currentContext = hostname -> current.context;
    }

    /** A builder for the chain (leaf first) and key in {@code certificateChainFile} and {@code privateKeyFile}. */
    public static Builder builder(Path certificateChainFile, Path privateKeyFile) {
        return new Builder(certificateChainFile, privateKeyFile);
    }

    /** The provider in use: {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}. */
    public SslProvider provider() {
        return provider;
    }

    /** Whether clients are asked for a certificate. */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** The leaf certificate new connections get now. */
    public X509Certificate certificate() {
        return current.certificate;
    }

    /** The longest a connection may take from accept to a completed handshake. */
    public Duration handshakeTimeout() {
        return Duration.ofMillis(handshakeTimeoutMillis);
    }

    /**
     * The handler for the head of a new connection's pipeline: it reads the ClientHello (to learn
     * the requested SNI name), then replaces itself, under the same name, with an
     * {@link io.netty.handler.ssl.SslHandler} of the context current at that moment. A peer that
     * has not completed the handshake within the timeout is closed. Follow it with a
     * {@link TlsHandshakeHandler}.
     */
    public ChannelHandler newHandler() {
        return new ServerSniHandler(currentContext, handshakeTimeoutMillis);
    }

    /**
     * Re-reads the files now. If they changed and load, new connections get the new certificate;
     * open connections are not disturbed.
     *
     * @return whether the certificate, key or CA bundle changed
     * @throws TlsFileException if the files changed but cannot be used; the current certificate stays
     */
    public boolean reload() throws TlsFileException {
        synchronized (lock) {
            Snapshot snapshot = Snapshot.read(files);
            if (Arrays.equals(snapshot.digest, current.digest)) {
                return false;
            }
            replace(load(snapshot));
            return true;
        }
    }

    /**
     * Polls the files every {@code interval} on a daemon thread ({@code netserve-tls-watch}) and
     * reloads when what they contain changes, whether written in place, renamed over or swapped
     * behind a symbolic link (Kubernetes secret volumes). A change is taken once it has been the
     * same for two polls, so a file caught half-written is normally not tried. A change that
     * cannot be used is logged once at WARN and the current certificate stays; the next change is
     * tried again. {@link #close()} stops it.
     *
     * @throws IllegalStateException if already watching or closed
     */
    public void watch(Duration interval) {
        long millis = Objects.requireNonNull(interval, "interval").toMillis();
        if (millis <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        synchronized (lock) {
            if (watcher != null || closed) {
                throw new IllegalStateException(closed ? "closed" : "already watching");
            }
            watcher = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "netserve-tls-watch");
                thread.setDaemon(true);
                return thread;
            });
            watcher.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops watching the files; handlers already made and {@link #newHandler()} keep working. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (lock) {
            closed = true;
            stopping = watcher;
            watcher = null;
        }
        if (stopping != null) {
            stopping.shutdown();
            try {
                stopping.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One look at the files, as the watcher takes it; package-private so tests can take it without a thread. */
    void poll() {
        try {
            synchronized (lock) {
                Snapshot snapshot = Snapshot.read(files);
                byte[] digest = snapshot.digest;
                boolean settled = Arrays.equals(digest, lastSeenDigest);
                lastSeenDigest = digest;
                if (!settled || Arrays.equals(digest, current.digest) || Arrays.equals(digest, lastFailedDigest)) {
                    return;
                }
                try {
                    replace(load(snapshot));
                    lastFailedDigest = null;
                } catch (TlsFileException e) {
                    lastFailedDigest = digest;
                    log.warn("TLS files changed but cannot be used, keeping serial {}: {}",
                            current.certificate.getSerialNumber().toString(16), e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: keep watching, and say why.
            log.warn("TLS file watch failed", e);
        }
    }

    private void replace(Loaded loaded) {
        current = loaded;
        log.info("TLS certificate reloaded from {}: {}", certificateChainFile, PemFiles.describe(loaded.certificate));
    }

    private Loaded load(Snapshot snapshot) throws TlsFileException {
        List<X509Certificate> chain = PemFiles.certificates(certificateChainFile, snapshot.bytes(0));
        PrivateKey key = PemFiles.privateKey(privateKeyFile, snapshot.bytes(1));
        PemFiles.checkKeyMatches(privateKeyFile, key, certificateChainFile, chain.get(0));
        PemFiles.checkValidity(certificateChainFile, chain, Instant.now());
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
                .sslProvider(provider)
                .protocols(TlsProviders.PROTOCOLS)
                .clientAuth(clientAuth);
        if (clientCaFile != null) {
            builder.trustManager(PemFiles.certificates(clientCaFile, snapshot.bytes(2)));
        }
        try {
            return new Loaded(builder.build(), chain.get(0), snapshot.digest);
        } catch (Exception e) {
            throw new TlsFileException(certificateChainFile, "rejected by the " + TlsProviders.cliName(provider)
                    + " TLS provider: " + e.getMessage());
        }
    }

    /** A context and what it was made from. */
    private record Loaded(SslContext context, X509Certificate certificate, byte[] digest) {
    }

    /** The bytes of each file, or why it could not be read, and a digest of all of it. */
    private static final class Snapshot {

        private final byte[][] contents;
        private final TlsFileException[] failures;
        private final byte[] digest;

        private Snapshot(byte[][] contents, TlsFileException[] failures, byte[] digest) {
            this.contents = contents;
            this.failures = failures;
            this.digest = digest;
        }

        static Snapshot read(List<Path> files) {
            byte[][] contents = new byte[files.size()][];
            TlsFileException[] failures = new TlsFileException[files.size()];
            MessageDigest sha256 = sha256();
            for (int i = 0; i < files.size(); i++) {
                byte[] part;
                try {
                    contents[i] = PemFiles.read(files.get(i));
                    part = contents[i];
                } catch (TlsFileException e) {
                    failures[i] = e;
                    part = ("unreadable: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
                }
                sha256.update(ByteBuffer.allocate(Integer.BYTES * 2).putInt(i).putInt(part.length).array());
                sha256.update(part);
            }
            return new Snapshot(contents, failures, sha256.digest());
        }

        byte[] bytes(int file) throws TlsFileException {
            if (failures[file] != null) {
                throw failures[file];
            }
            return contents[file];
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
    }

    /** Settings of a {@link ServerTls}; {@link #build()} loads the files. */
    public static final class Builder {

        private final Path certificateChainFile;
        private final Path privateKeyFile;
        private Path clientCaFile;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private SslProvider provider;
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        private Builder(Path certificateChainFile, Path privateKeyFile) {
            this.certificateChainFile = Objects.requireNonNull(certificateChainFile, "certificateChainFile");
            this.privateKeyFile = Objects.requireNonNull(privateKeyFile, "privateKeyFile");
        }

        /** PEM bundle of the CAs that client certificates must chain to; {@code null} for none. */
        public Builder clientCa(Path clientCaFile) {
            this.clientCaFile = clientCaFile;
            return this;
        }

        /** Whether to ask for client certificates; not {@code NONE} requires {@link #clientCa(Path)}. Default {@code NONE}. */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /** {@link SslProvider#OPENSSL}, {@link SslProvider#JDK}, or {@code null} (the default) for OpenSSL if it loads. */
        public Builder provider(SslProvider provider) {
            this.provider = provider;
            return this;
        }

        /** The longest from accept to a completed handshake; positive. Default 10 s. */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            if (handshakeTimeout.toMillis() <= 0) {
                throw new IllegalArgumentException("handshakeTimeout must be at least 1 ms: " + handshakeTimeout);
            }
            this.handshakeTimeout = handshakeTimeout;
            return this;
        }

        /**
         * Loads the files and makes the first context.
         *
         * @throws TlsFileException naming the file that is missing, unreadable, not PEM, expired or
         *         not yet valid, or whose key does not match the certificate
         * @throws IllegalArgumentException if client authentication is asked for without a CA
         *         bundle, or the requested provider does not load
         */
        public ServerTls build() throws TlsFileException {
            if (clientAuth != ClientAuth.NONE && clientCaFile == null) {
                throw new IllegalArgumentException("client authentication " + clientAuth.name().toLowerCase(Locale.ROOT)
                        + " needs a client CA bundle");
            }
            return new ServerTls(this);
        }
    }
}
