package io.netserve.core.internal.tls;

import io.netserve.test.LogCapture;
import ch.qos.logback.classic.Level;
import io.netserve.core.internal.tls.TestPki.KeyFiles;
import io.netserve.test.TestClient;
import io.netserve.core.Transport;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real handshakes over loopback against {@link ServerTls} and {@link TlsHandshakeHandler}: the
 * versions served, mutual TLS in each mode, and the clients that fail, counted by reason.
 */
class ServerTlsHandshakeTest extends TlsTestSupport {

    @TempDir
    static Path dir;
    static KeyFiles server;
    static KeyFiles client;
    static KeyFiles impostor;
    static Path ca;
    static Path clientCa;

    @BeforeAll
    static void writeFiles() {
        server = TestPki.writePair(dir, "server", TestPki.SERVER);
        client = TestPki.writePair(dir, "client", TestPki.CLIENT);
        impostor = TestPki.writePair(dir, "impostor", TestPki.IMPOSTOR_CLIENT);
        ca = TestPki.write(dir.resolve("ca.pem"), TestPki.rootPem(TestPki.CA));
        clientCa = TestPki.write(dir.resolve("client-ca.pem"), TestPki.rootPem(TestPki.CLIENT_CA));
    }

    @ParameterizedTest
    @MethodSource("providersAndTransports")
    void echoesOverTls13(SslProvider provider, Transport transport) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(transport), transport, serverTls(provider, ClientAuth.NONE));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), clientTls(provider, null), TestPki.SERVER_NAME)) {
            assertThat(c.awaitHandshake()).isNull();
            assertThat(c.protocol()).isEqualTo("TLSv1.3");
            assertThat(c.echo("hello over TLS 1.3")).isEqualTo("hello over TLS 1.3");
            assertThat(c.serverCertificate().getSerialNumber()).isEqualTo(TestPki.SERVER.getCertificate().getSerialNumber());
            assertThat(srv.sniNames.poll(10, TimeUnit.SECONDS)).isEqualTo(TestPki.SERVER_NAME);
            assertThat(srv.metrics.tlsHandshakeFailures()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("providersAndTransports")
    void echoesOverTls12(SslProvider provider, Transport transport) throws Exception {
        SslContext tls12 = SslContextBuilder.forClient().sslProvider(provider).protocols("TLSv1.2")
                .trustManager(TestPki.CA.getRootCertificate()).build();
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(transport), transport, serverTls(provider, ClientAuth.NONE));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(),
                     ch -> tls12.newHandler(ch.alloc(), TestPki.SERVER_NAME, srv.address().getPort()))) {
            assertThat(c.awaitHandshake()).isNull();
            assertThat(c.protocol()).isEqualTo("TLSv1.2");
            assertThat(c.echo("hello over TLS 1.2")).isEqualTo("hello over TLS 1.2");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void refusesTls11(SslProvider provider) throws Exception {
        // The JDK disables TLS 1.1 for its own clients too, so only BoringSSL can play the old client.
        assumeTrue(OpenSsl.isAvailable(), "a TLS 1.1 client needs OpenSSL");
        SslContext tls11 = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols("TLSv1.1")
                .trustManager(TestPki.CA.getRootCertificate()).build();
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, serverTls(provider, ClientAuth.NONE));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(),
                     ch -> tls11.newHandler(ch.alloc(), TestPki.SERVER_NAME, srv.address().getPort()))) {
            assertThat(c.awaitHandshake()).isNotNull();
            c.awaitClosed();
            awaitFailures(srv, Map.of("protocol_version", 1L));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void requiredClientCertificate(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, serverTls(provider, ClientAuth.REQUIRE))) {
            try (TlsTestClient c = connect(srv, clientTls(provider, client))) {
                assertThat(c.awaitHandshake()).isNull();
                assertThat(c.echo("with a certificate")).isEqualTo("with a certificate");
                assertThat(peerCertificate(srv.sessions.poll(10, TimeUnit.SECONDS)).getSubjectX500Principal().getName())
                        .isEqualTo("CN=test client");
            }
            try (TlsTestClient c = connect(srv, clientTls(provider, null))) {
                // With TLS 1.3 the client finishes before the server has judged its (missing) certificate.
                c.awaitHandshake();
                c.awaitClosed();
            }
            try (TlsTestClient c = connect(srv, clientTls(provider, impostor))) {
                c.awaitHandshake();
                c.awaitClosed();
            }
            awaitFailures(srv, Map.of("no_client_certificate", 1L, "bad_client_certificate", 1L));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void optionalClientCertificate(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, serverTls(provider, ClientAuth.OPTIONAL))) {
            try (TlsTestClient c = connect(srv, clientTls(provider, client))) {
                assertThat(c.echo("with")).isEqualTo("with");
                assertThat(peerCertificate(srv.sessions.poll(10, TimeUnit.SECONDS)).getSubjectX500Principal().getName())
                        .isEqualTo("CN=test client");
            }
            try (TlsTestClient c = connect(srv, clientTls(provider, null))) {
                assertThat(c.echo("without")).isEqualTo("without");
                SSLSession session = srv.sessions.poll(10, TimeUnit.SECONDS);
                assertThatThrownBy(session::getPeerCertificates).isInstanceOf(SSLPeerUnverifiedException.class);
            }
            assertThat(srv.metrics.tlsHandshakeFailures()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void noClientAuthenticationIgnoresClientCertificates(SslProvider provider) throws Exception {
        ServerTls tls = ServerTls.builder(server.cert(), server.key()).provider(provider)
                .clientCa(clientCa).clientAuth(ClientAuth.NONE).build();
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, tls);
             TlsTestClient c = connect(srv, clientTls(provider, client))) {
            assertThat(c.echo("not asked")).isEqualTo("not asked");
            SSLSession session = srv.sessions.poll(10, TimeUnit.SECONDS);
            assertThatThrownBy(session::getPeerCertificates).isInstanceOf(SSLPeerUnverifiedException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void closesPlaintextAndSilentClientsWithinTheHandshakeTimeout(SslProvider provider) throws Exception {
        ServerTls tls = ServerTls.builder(server.cert(), server.key()).provider(provider)
                .handshakeTimeout(Duration.ofMillis(500)).build();
        try (LogCapture logs = LogCapture.of("io.netserve.core.tls");
             LogCapture tail = LogCapture.of("io.netserve.core.peer");
             TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, tls)) {
            String plaintextPeer;
            try (TestClient plaintext = TestClient.connect(srv.address())) {
                plaintextPeer = plaintext.socket().getLocalSocketAddress().toString();
                plaintext.sendLine("GET / HTTP/1.0");
                plaintext.awaitClosed();
            }
            String silentPeer;
            try (TestClient silent = TestClient.connect(srv.address())) {
                silentPeer = silent.socket().getLocalSocketAddress().toString();
                silent.awaitClosed();
            }
            awaitFailures(srv, Map.of("not_tls", 1L, "timeout", 1L));
            String first = "TLS handshake with " + plaintextPeer + " failed: not_tls";
            assertThat(logs.messages(Level.INFO)).contains(first);
            // The second failure may come within the second of the first: then a summary line counts it.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                List<String> lines = logs.messages(Level.INFO);
                return lines.contains("TLS handshake with " + silentPeer + " failed: timeout")
                        || lines.subList(lines.indexOf(first), lines.size()).contains("1 more failed TLS handshakes in the last second");
            });
            assertThat(logs.anyStackTrace()).isFalse();
            assertThat(tail.messages(Level.INFO)).as("one line per failure, not a second one from the tail").isEmpty();
            assertThat(tail.messages(Level.WARN)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void timeoutCoversTheHandshakeAfterTheClientHello(SslProvider provider) throws Exception {
        ServerTls tls = ServerTls.builder(server.cert(), server.key()).provider(provider)
                .handshakeTimeout(Duration.ofMillis(500)).build();
        try (LogCapture logs = LogCapture.of("io.netserve.core.tls");
             TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, tls);
             // Sends its ClientHello, then never reads the server's answer.
             TlsTestClient stalled = TlsTestClient.connect(clientGroup, srv.address(), ch -> {
                 ch.pipeline().addLast(new DropInbound());
                 return clientTls(provider, null).newHandler(ch.alloc(), TestPki.SERVER_NAME, srv.address().getPort());
             })) {
            stalled.awaitClosed();
            awaitFailures(srv, Map.of("timeout", 1L));
            assertThat(logs.messages(Level.INFO)).singleElement().asString().endsWith("failed: timeout, SNI localhost");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void countsAClientThatRejectsTheCertificate(SslProvider provider) throws Exception {
        ClientTls trustsOtherCa = ClientTls.builder().provider(SslProvider.JDK)
                .trustBundle(TestPki.write(dir.resolve("other-ca.pem"), TestPki.rootPem(TestPki.OTHER_CA))).build();
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, serverTls(provider, ClientAuth.NONE));
             TlsTestClient c = connect(srv, trustsOtherCa)) {
            assertThat(c.awaitHandshake()).isNotNull();
            awaitFailures(srv, Map.of("certificate_rejected", 1L));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void countsAClientThatClosesDuringTheHandshake(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, serverTls(provider, ClientAuth.NONE));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), ch -> {
                 ch.pipeline().addLast(new CloseOnFirstRead());
                 return clientTls(provider, null).newHandler(ch.alloc(), TestPki.SERVER_NAME, srv.address().getPort());
             })) {
            c.awaitClosed();
            awaitFailures(srv, Map.of("closed", 1L));
        }
    }

    private static ServerTls serverTls(SslProvider provider, ClientAuth clientAuth) throws TlsFileException {
        ServerTls.Builder builder = ServerTls.builder(server.cert(), server.key()).provider(provider).clientAuth(clientAuth);
        return (clientAuth == ClientAuth.NONE ? builder : builder.clientCa(clientCa)).build();
    }

    private static ClientTls clientTls(SslProvider provider, KeyFiles certificate) {
        try {
            ClientTls.Builder builder = ClientTls.builder().provider(provider).trustBundle(ca);
            return (certificate == null ? builder : builder.keyPair(certificate.cert(), certificate.key())).build();
        } catch (TlsFileException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static TlsTestClient connect(TlsTestServer srv, ClientTls tls) {
        return TlsTestClient.connect(clientGroup, srv.address(), tls, TestPki.SERVER_NAME);
    }

    private static X509Certificate peerCertificate(SSLSession session) throws SSLPeerUnverifiedException {
        assertThat(session).as("a server-side session").isNotNull();
        return (X509Certificate) session.getPeerCertificates()[0];
    }

    private static void awaitFailures(TlsTestServer srv, Map<String, Long> expected) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(srv.metrics.tlsHandshakeFailuresByReason()).isEqualTo(expected));
        assertThat(srv.metrics.tlsHandshakeFailures()).isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Plays a client that gives up as soon as the server answers its ClientHello. */
    private static final class CloseOnFirstRead extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    /** Plays a client that never processes what the server sends. */
    private static final class DropInbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
