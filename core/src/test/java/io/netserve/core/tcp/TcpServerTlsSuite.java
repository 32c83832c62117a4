package io.netserve.core.tcp;

import ch.qos.logback.classic.Level;
import io.netserve.core.Protocol;
import io.netserve.core.Transport;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.tls.ClientTls;
import io.netserve.core.internal.tls.TestPki;
import io.netserve.core.internal.tls.TestPki.KeyFiles;
import io.netserve.core.internal.tls.TlsFileException;
import io.netserve.core.internal.tls.TlsTestClient;
import io.netserve.core.server.BindFailedException;
import io.netserve.core.server.ServerStartException;
import io.netserve.test.LogCapture;
import io.netserve.test.TestClient;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link TcpServer} with TLS end to end over loopback, on both providers where OpenSSL loads:
 * the versions served, mutual TLS in each mode, clients closed and counted within the handshake
 * timeout, certificates rotated while a connection stays open, and core's guards working behind
 * TLS on plaintext. Written once and run for each transport that loads here by a thin subclass;
 * the leak detector (paranoid) checks every test.
 */
abstract class TcpServerTlsSuite {

    private static final Duration AWAIT = Duration.ofSeconds(20);
    /** The contract: new connections get a replaced certificate within 10 s. */
    private static final Duration ROTATION = Duration.ofSeconds(10);

    @TempDir
    static Path pki;
    static Path ca;
    static Path clientCa;
    static KeyFiles client;
    static EventLoopGroup clientGroup;

    @TempDir
    Path dir;
    private final List<TcpServer> servers = new ArrayList<>();
    private final BlockingQueue<SSLSession> sessions = new LinkedBlockingQueue<>();

    /** The transport under test. */
    abstract Transport transport();

    @BeforeAll
    static void writePkiAndStartClients() {
        ca = TestPki.write(pki.resolve("ca.pem"), TestPki.rootPem(TestPki.CA));
        clientCa = TestPki.write(pki.resolve("client-ca.pem"), TestPki.rootPem(TestPki.CLIENT_CA));
        client = TestPki.writePair(pki, "client", TestPki.CLIENT);
        clientGroup = new MultiThreadIoEventLoopGroup(1, Transport.NIO.ioHandlerFactory());
    }

    @AfterAll
    static void stopClients() {
        clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeServers() {
        servers.forEach(TcpServer::close);
        await().atMost(AWAIT).untilAsserted(() -> assertThat(serverThreads()).isEmpty());
    }

    /** JDK always, OpenSSL where it loads. */
    static Stream<SslProvider> providers() {
        return OpenSsl.isAvailable() ? Stream.of(SslProvider.JDK, SslProvider.OPENSSL) : Stream.of(SslProvider.JDK);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void echoesOverTls13AndTls12AndCountsPlaintextBytes(SslProvider provider) throws Exception {
        TcpServer server = start(tls(provider, TestPki.writePair(dir, "server", TestPki.SERVER)));
        try (TlsTestClient c = connect(server, clientTls(provider, null))) {
            assertThat(c.awaitHandshake()).isNull();
            assertThat(c.protocol()).isEqualTo("TLSv1.3");
            assertThat(c.echo("hello over TLS 1.3")).isEqualTo("hello over TLS 1.3");
            assertThat(c.serverCertificate().getSerialNumber()).isEqualTo(TestPki.SERVER.getCertificate().getSerialNumber());
        }
        SslContext tls12 = SslContextBuilder.forClient().sslProvider(provider).protocols("TLSv1.2")
                .trustManager(TestPki.CA.getRootCertificate()).build();
        try (TlsTestClient c = TlsTestClient.connect(clientGroup, server.localAddress(),
                ch -> tls12.newHandler(ch.alloc(), TestPki.SERVER_NAME, server.localAddress().getPort()))) {
            assertThat(c.awaitHandshake()).isNull();
            assertThat(c.protocol()).isEqualTo("TLSv1.2");
            assertThat(c.echo("hello over TLS 1.2")).isEqualTo("hello over TLS 1.2");
        }
        // Traffic metrics sit behind TLS: they count the payload, not the records.
        int payload = "hello over TLS 1.3".length() + "hello over TLS 1.2".length();
        await().atMost(AWAIT).untilAsserted(() -> assertThat(server.metrics().connectionsActive()).isZero());
        assertThat(server.metrics().bytesIn()).isEqualTo(payload);
        assertThat(server.metrics().bytesOut()).isEqualTo(payload);
        assertThat(server.metrics().connectionsTotal()).isEqualTo(2);
        assertThat(server.metrics().tlsHandshakeFailures()).isZero();
        assertThat(server.toString()).contains(", tls");
    }

    @ParameterizedTest
    @MethodSource("providers")
    void refusesTls11(SslProvider provider) throws Exception {
        // The JDK disables TLS 1.1 for its own clients too, so only BoringSSL can play the old client.
        assumeTrue(OpenSsl.isAvailable(), "a TLS 1.1 client needs OpenSSL");
        TcpServer server = start(tls(provider, TestPki.writePair(dir, "server", TestPki.SERVER)));
        SslContext tls11 = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols("TLSv1.1")
                .trustManager(TestPki.CA.getRootCertificate()).build();
        try (TlsTestClient c = TlsTestClient.connect(clientGroup, server.localAddress(),
                ch -> tls11.newHandler(ch.alloc(), TestPki.SERVER_NAME, server.localAddress().getPort()))) {
            assertThat(c.awaitHandshake()).isNotNull();
            c.awaitClosed();
        }
        awaitFailures(server, Map.of("protocol_version", 1L));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void requiresAClientCertificateWhenAClientCaIsGiven(SslProvider provider) throws Exception {
        ServerConfig config = tls(provider, TestPki.writePair(dir, "server", TestPki.SERVER)).tlsClientCa(clientCa).build();
        assertThat(config.tlsClientAuth()).isEqualTo(ClientAuth.REQUIRE);
        TcpServer server = start(config);
        try (TlsTestClient c = connect(server, clientTls(provider, client))) {
            assertThat(c.echo("with a certificate")).isEqualTo("with a certificate");
            assertThat(clientSubject(sessions.poll(10, TimeUnit.SECONDS))).isEqualTo("CN=test client");
        }
        try (TlsTestClient c = connect(server, clientTls(provider, null))) {
            // With TLS 1.3 the client may finish before the server has judged its (missing) certificate.
            c.awaitHandshake();
            c.awaitClosed();
        }
        awaitFailures(server, Map.of("no_client_certificate", 1L));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void optionalClientCertificate(SslProvider provider) throws Exception {
        TcpServer server = start(tls(provider, TestPki.writePair(dir, "server", TestPki.SERVER))
                .tlsClientCa(clientCa).tlsClientAuth(ClientAuth.OPTIONAL).build());
        try (TlsTestClient c = connect(server, clientTls(provider, client))) {
            assertThat(c.echo("with")).isEqualTo("with");
            assertThat(clientSubject(sessions.poll(10, TimeUnit.SECONDS))).isEqualTo("CN=test client");
        }
        try (TlsTestClient c = connect(server, clientTls(provider, null))) {
            assertThat(c.echo("without")).isEqualTo("without");
            assertThat(clientSubject(sessions.poll(10, TimeUnit.SECONDS))).isNull();
        }
        assertThat(server.metrics().tlsHandshakeFailures()).isZero();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void withoutAClientCaNoClientCertificateIsAskedFor(SslProvider provider) throws Exception {
        TcpServer server = start(tls(provider, TestPki.writePair(dir, "server", TestPki.SERVER)).build());
        assertThat(server.config().tlsClientAuth()).isEqualTo(ClientAuth.NONE);
        try (TlsTestClient c = connect(server, clientTls(provider, client))) {
            assertThat(c.echo("not asked")).isEqualTo("not asked");
            assertThat(clientSubject(sessions.poll(10, TimeUnit.SECONDS))).isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closesAndCountsPlaintextAndSilentClientsWithinTheHandshakeTimeout(SslProvider provider) throws Exception {
        try (LogCapture logs = LogCapture.of("io.netserve.core.tls")) {
            TcpServer server = start(tls(provider, TestPki.writePair(dir, "server", TestPki.SERVER))
                    .tlsHandshakeTimeout(Duration.ofMillis(500)).build());
            String plaintextPeer;
            try (TestClient plaintext = TestClient.connect(server.localAddress())) {
                plaintextPeer = plaintext.socket().getLocalSocketAddress().toString();
                plaintext.sendLine("GET / HTTP/1.0");
                assertThat(plaintext.awaitClosed()).as("nothing echoed").isEmpty();
            }
            try (TestClient silent = TestClient.connect(server.localAddress())) {
                assertThat(silent.awaitClosed()).isEmpty();
            }
            awaitFailures(server, Map.of("not_tls", 1L, "timeout", 1L));
            await().atMost(AWAIT).untilAsserted(() -> assertThat(server.metrics().connectionsActive()).isZero());
            assertThat(server.metrics().bytesIn()).as("nothing reached the protocol").isZero();
            assertThat(logs.messages(Level.INFO)).contains("TLS handshake with " + plaintextPeer + " failed: not_tls");
            assertThat(logs.anyStackTrace()).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void rotatesFilesWrittenInPlaceAndRenamedOverWhileAConnectionStaysOpen(SslProvider provider) throws Exception {
        X509Bundle first = TestPki.server();
        KeyFiles files = TestPki.writePair(dir, "tls", first);
        TcpServer server = start(tls(provider, files));
        try (TlsTestClient open = connect(server, clientTls(provider, null))) {
            assertThat(open.echo("before")).isEqualTo("before");

            X509Bundle second = TestPki.server();
            TestPki.write(files.key(), TestPki.pkcs8Pem(second));
            TestPki.write(files.cert(), TestPki.chainPem(second));
            awaitServedSerial(server, provider, second);
            assertThat(open.echo("after an in-place write")).isEqualTo("after an in-place write");

            X509Bundle third = TestPki.server();
            KeyFiles staged = TestPki.writePair(dir, "staged", third);
            Files.move(staged.key(), files.key(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged.cert(), files.cert(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            awaitServedSerial(server, provider, third);

            assertThat(open.echo("after a rename")).isEqualTo("after a rename");
            assertThat(open.serverCertificate().getSerialNumber()).isEqualTo(first.getCertificate().getSerialNumber());
        }
        assertThat(server.metrics().tlsHandshakeFailures()).isZero();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void reloadTlsTakesNewFilesAtOnceAndKeepsTheCertificateWhenTheyAreBroken(SslProvider provider) throws Exception {
        KeyFiles files = TestPki.writePair(dir, "tls", TestPki.server());
        TcpServer server = start(tls(provider, files));
        assertThat(server.reloadTls()).as("nothing changed").isFalse();

        X509Bundle second = TestPki.server();
        TestPki.write(files.key(), TestPki.pkcs8Pem(second));
        TestPki.write(files.cert(), TestPki.chainPem(second));
        assertThat(server.reloadTls()).isTrue();
        assertThat(servedSerial(server, provider)).isEqualTo(serial(second));
        assertThat(server.reloadTls()).isFalse();

        TestPki.write(files.key(), "-----BEGIN PRIVATE KEY-----\nhalf-writ");
        assertThatThrownBy(server::reloadTls)
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(files.key() + ": not a valid PEM private key file");
        assertThat(servedSerial(server, provider)).isEqualTo(serial(second));

        X509Bundle third = TestPki.server();
        TestPki.write(files.key(), TestPki.pkcs8Pem(third));
        TestPki.write(files.cert(), TestPki.chainPem(third));
        assertThat(server.reloadTls()).as("the next good write is taken").isTrue();
        assertThat(servedSerial(server, provider)).isEqualTo(serial(third));
    }

    @Test
    void reloadTlsWithoutTlsIsAnError() throws Exception {
        TcpServer server = start(ServerConfig.builder().transport(transport()).ioThreads(1).build());
        assertThatThrownBy(server::reloadTls).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("TLS is off");
    }

    @Test
    void aFileThatCannotBeUsedFailsTheStartNamingItAndLeavesNoThread() {
        KeyFiles good = TestPki.writePair(dir, "good", TestPki.SERVER);
        Path missing = dir.resolve("missing.crt");
        assertThatThrownBy(() -> TcpServer.start(tls(null, new KeyFiles(missing, good.key())).build(), echo()))
                .isExactlyInstanceOf(ServerStartException.class)
                .hasMessage("cannot use TLS file " + missing + ": file not found");
        Path otherKey = TestPki.write(dir.resolve("other.key"), TestPki.pkcs8Pem(TestPki.server()));
        assertThatThrownBy(() -> TcpServer.start(tls(null, new KeyFiles(good.cert(), otherKey)).build(), echo()))
                .isExactlyInstanceOf(ServerStartException.class)
                .hasMessageStartingWith("cannot use TLS file " + otherKey + ": private key does not match the certificate");
        assertThat(serverThreads()).isEmpty();
    }

    @Test
    void aPortInUseStopsTheCertificateWatcherToo() throws Exception {
        KeyFiles files = TestPki.writePair(dir, "server", TestPki.SERVER);
        TcpServer first = start(ServerConfig.builder().transport(transport()).ioThreads(1).build());
        Set<Thread> before = serverThreads();
        assertThatThrownBy(() -> TcpServer.start(tls(null, files).port(first.localAddress().getPort()).build(), echo()))
                .isInstanceOf(BindFailedException.class);
        await().atMost(AWAIT).untilAsserted(() -> assertThat(serverThreads()).isEqualTo(before));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void theConnectionLimitWorksBehindTls(SslProvider provider) throws Exception {
        TcpServer server = start(tls(provider, TestPki.writePair(dir, "server", TestPki.SERVER)).maxConnections(1));
        try (TlsTestClient first = connect(server, clientTls(provider, null))) {
            assertThat(first.echo("admitted")).isEqualTo("admitted");
            try (TlsTestClient second = connect(server, clientTls(provider, null))) {
                assertThat(second.awaitHandshake()).as("closed by the limit").isNotNull();
                second.awaitClosed();
            }
            assertThat(server.metrics().connectionsRejected()).isEqualTo(1);
            assertThat(first.echo("still served")).isEqualTo("still served");
        }
        assertThat(server.metrics().tlsHandshakeFailures()).as("a rejected connection is not a failed handshake").isZero();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void theIdlePolicyWorksBehindTls(SslProvider provider) throws Exception {
        TcpServer server = start(tls(provider, TestPki.writePair(dir, "server", TestPki.SERVER))
                .allIdleTimeout(Duration.ofMillis(300)));
        try (TlsTestClient c = connect(server, clientTls(provider, null))) {
            assertThat(c.echo("then silence")).isEqualTo("then silence");
            c.awaitClosed();
        }
        assertThat(server.metrics().idleClosed()).isEqualTo(1);
        assertThat(server.metrics().tlsHandshakeFailures()).isZero();
    }

    private ServerConfig.Builder tls(SslProvider provider, KeyFiles files) {
        return ServerConfig.builder().transport(transport()).ioThreads(1).tls(files.cert(), files.key())
                .tlsProvider(provider);
    }

    private TcpServer start(ServerConfig.Builder config) throws ServerStartException {
        return start(config.build());
    }

    private TcpServer start(ServerConfig config) throws ServerStartException {
        TcpServer server = TcpServer.start(config, echo());
        servers.add(server);
        return server;
    }

    /** Echoes, and keeps the server side of every completed handshake. */
    private Protocol echo() {
        return pipeline -> pipeline.addLast("sessions", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                    sessions.add(ctx.pipeline().get(SslHandler.class).engine().getSession());
                }
                ctx.fireUserEventTriggered(evt);
            }
        }).addLast("echo", EchoTestHandler.INSTANCE);
    }

    private static TlsTestClient connect(TcpServer server, ClientTls tls) {
        return TlsTestClient.connect(clientGroup, server.localAddress(), tls, TestPki.SERVER_NAME);
    }

    private static ClientTls clientTls(SslProvider provider, KeyFiles certificate) {
        try {
            ClientTls.Builder builder = ClientTls.builder().provider(provider).trustBundle(ca);
            return (certificate == null ? builder : builder.keyPair(certificate.cert(), certificate.key())).build();
        } catch (TlsFileException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The serial a new connection gets now. */
    private static BigInteger servedSerial(TcpServer server, SslProvider provider) throws SSLPeerUnverifiedException {
        try (TlsTestClient c = connect(server, clientTls(provider, null))) {
            assertThat(c.awaitHandshake()).isNull();
            return c.serverCertificate().getSerialNumber();
        }
    }

    private static void awaitServedSerial(TcpServer server, SslProvider provider, X509Bundle expected) {
        await().atMost(ROTATION).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(servedSerial(server, provider)).isEqualTo(serial(expected)));
    }

    private static BigInteger serial(X509Bundle bundle) {
        return bundle.getCertificate().getSerialNumber();
    }

    /** The subject of the certificate the client presented, or null for none. */
    private static String clientSubject(SSLSession session) {
        assertThat(session).as("a server-side session").isNotNull();
        try {
            return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static void awaitFailures(TcpServer server, Map<String, Long> expected) {
        await().atMost(AWAIT).untilAsserted(() ->
                assertThat(server.metrics().tlsHandshakeFailuresByReason()).isEqualTo(expected));
    }

    /** The threads a server owns: its event loops and its certificate watcher. */
    private static Set<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> (t.getName().startsWith("netserve-tcp") || t.getName().startsWith("netserve-tls")) && t.isAlive())
                .collect(Collectors.toSet());
    }
}
