package io.netserve.samples.client;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.tcp.TcpServer;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TLS servers on loopback for the clients' tests: a protocol on a {@link TcpServer} serving TLS, with a CA, a server certificate for {@code localhost} and 127.0.0.1 and a
 * client certificate made at test time (no private key is committed), written as PEM files.
 *
 * <pre>{@code
 * TlsServers.Pki pki = TlsServers.pki(tempDir);
 * try (TlsServers.Server server = TlsServers.start(pki, false, echo)) {
 *     Run.of("tcp-client", "--tls-ca", pki.ca().toString(), "--port", server.port(), "-m", "hi");
 * }
 * }</pre>
 */
final class TlsServers {

    private static final AtomicLong SERIALS = new AtomicLong(100);

    private TlsServers() {
    }

    /** The files of a test PKI: the CA's certificate, the server's pair, a client's pair. */
    record Pki(Path ca, Path serverCert, Path serverKey, Path clientCa, Path clientCert, Path clientKey) {
    }

    /** A CA, a server certificate from it, and a client certificate from a CA of its own, in {@code dir}. */
    static Pki pki(Path dir) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509Bundle ca = ca("CN=samples test CA", now);
        X509Bundle server = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth().serial(serial())
                .notBefore(now.minus(1, ChronoUnit.HOURS)).notAfter(now.plus(1, ChronoUnit.DAYS)).buildIssuedBy(ca);
        X509Bundle clientCa = ca("CN=samples client CA", now);
        X509Bundle client = new CertificateBuilder().subject("CN=samples client").addExtendedKeyUsageClientAuth()
                .serial(serial()).notBefore(now.minus(1, ChronoUnit.HOURS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .buildIssuedBy(clientCa);
        return new Pki(write(dir.resolve("ca.pem"), ca.getRootCertificatePEM()),
                write(dir.resolve("server.crt"), server.getCertificatePathPEM()),
                write(dir.resolve("server.key"), server.getPrivateKeyPEM()),
                write(dir.resolve("client-ca.pem"), clientCa.getRootCertificatePEM()),
                write(dir.resolve("client.crt"), client.getCertificatePathPEM()),
                write(dir.resolve("client.key"), client.getPrivateKeyPEM()));
    }

    /** A {@link TcpServer} of {@code protocol} over TLS with the PKI's certificate; it requires a client certificate if asked. */
    static Server start(Pki pki, boolean requireClientCertificate, Protocol protocol) throws ServerStartException {
        ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0)
                .tls(pki.serverCert(), pki.serverKey());
        if (requireClientCertificate) {
            config.tlsClientCa(pki.clientCa());
        }
        return new Server(TcpServer.start(config.build(), protocol));
    }

    /** A running TLS server on 127.0.0.1. */
    record Server(TcpServer server) implements AutoCloseable {

        /** The port, as a command line takes it. */
        String port() {
            return String.valueOf(server.localAddress().getPort());
        }

        @Override
        public void close() {
            server.close();
        }
    }

    private static X509Bundle ca(String subject, Instant now) throws Exception {
        return new CertificateBuilder().subject(subject).setIsCertificateAuthority(true).serial(serial())
                .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(30, ChronoUnit.DAYS)).ecp256().buildSelfSigned();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Path write(Path file, String pem) {
        try {
            return Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
