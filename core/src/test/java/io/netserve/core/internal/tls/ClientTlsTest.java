package io.netserve.core.internal.tls;

import io.netserve.core.internal.tls.TestPki.KeyFiles;
import io.netserve.core.Transport;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLHandshakeException;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ClientTls} against servers with good and bad certificates, over loopback. */
class ClientTlsTest extends TlsTestSupport {

    @TempDir
    static Path dir;
    static Path ca;
    static KeyFiles server;

    @BeforeAll
    static void writeFiles() {
        ca = TestPki.write(dir.resolve("ca.pem"), TestPki.rootPem(TestPki.CA));
        server = TestPki.writePair(dir, "server", TestPki.SERVER);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sendsSniAndVerifiesTheHostName(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, serverTls(provider));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), client(provider), "localhost")) {
            assertThat(c.awaitHandshake()).isNull();
            assertThat(c.echo("ok")).isEqualTo("ok");
            assertThat(srv.sniNames.poll(10, TimeUnit.SECONDS)).isEqualTo("localhost");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void verifiesAnIpAddressWithoutSendingSni(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, serverTls(provider));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), client(provider), "127.0.0.1")) {
            assertThat(c.awaitHandshake()).isNull();
            assertThat(srv.sniNames.poll(10, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void rejectsAnUntrustedServerCertificate(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), server(provider, TestPki.UNTRUSTED_SERVER));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), client(provider), "localhost")) {
            assertThat(c.awaitHandshake()).isInstanceOf(SSLHandshakeException.class);
            c.awaitClosed();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void rejectsAnExpiredServerCertificate(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), server(provider, TestPki.EXPIRED_SERVER));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), client(provider), "localhost")) {
            assertThat(c.awaitHandshake()).isInstanceOf(SSLHandshakeException.class)
                    .hasRootCauseInstanceOf(CertificateExpiredException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void rejectsAHostNameMismatch(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), server(provider, TestPki.WRONG_HOST_SERVER));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), client(provider), "localhost")) {
            assertThat(c.awaitHandshake()).isInstanceOf(SSLHandshakeException.class)
                    .rootCause().hasMessageContaining("localhost");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void hostNameVerificationCanBeTurnedOff(SslProvider provider) throws Exception {
        ClientTls lax = ClientTls.builder().provider(provider).trustBundle(ca).hostnameVerification(false).build();
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), server(provider, TestPki.WRONG_HOST_SERVER));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), lax, "localhost")) {
            assertThat(c.awaitHandshake()).isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void theJdkTrustStoreDoesNotTrustTheTestCa(SslProvider provider) throws Exception {
        ClientTls defaults = ClientTls.builder().provider(provider).build();
        assertThat(defaults.provider()).isEqualTo(provider);
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), server(provider, TestPki.SERVER));
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), defaults, "localhost")) {
            assertThat(c.awaitHandshake()).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aMissingTrustBundleNamesTheFile() {
        Path missing = dir.resolve("no-such-ca.pem");
        assertThatThrownBy(() -> ClientTls.builder().trustBundle(missing).build())
                .isInstanceOf(TlsFileException.class)
                .hasMessage(missing + ": file not found");
    }

    @Test
    void aClientKeyThatDoesNotMatchNamesTheKeyFile() {
        KeyFiles client = TestPki.writePair(dir, "client", TestPki.CLIENT);
        Path otherKey = TestPki.write(dir.resolve("other.key"), TestPki.pkcs8Pem(TestPki.IMPOSTOR_CLIENT));
        assertThatThrownBy(() -> ClientTls.builder().trustBundle(ca).keyPair(client.cert(), otherKey).build())
                .isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(otherKey + ": private key does not match the certificate in " + client.cert());
    }

    @Test
    void aClientCertificateNeedsItsKey() {
        assertThatThrownBy(() -> ClientTls.builder().keyPair(dir.resolve("client.crt"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static SslContext server(SslProvider provider, X509Bundle bundle) throws Exception {
        return SslContextBuilder.forServer(bundle.getKeyPair().getPrivate(), bundle.getCertificatePath())
                .sslProvider(provider).build();
    }

    private static ServerTls serverTls(SslProvider provider) throws TlsFileException {
        return ServerTls.builder(server.cert(), server.key()).provider(provider).build();
    }

    private static ClientTls client(SslProvider provider) throws TlsFileException {
        return ClientTls.builder().provider(provider).trustBundle(ca).build();
    }
}
