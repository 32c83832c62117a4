package io.netserve.core.internal.tls;

import io.netserve.core.Protocol;
import io.netserve.core.Transport;
import io.netserve.core.config.ClientConfig;
import io.netserve.core.internal.tls.TestPki.KeyFiles;
import io.netserve.core.tcp.RequestClient;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.ClientAuth;
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
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The TLS of core's clients ({@code ClientConfig.tls...}) against servers behind {@link ServerTls},
 * as TcpServer's standard pipeline has it, on both providers where OpenSSL loads and on NIO and
 * epoll: a trusted server, an untrusted one, a host-name mismatch, a client certificate.
 */
class TcpClientTlsTest extends TlsTestSupport {

    private static final Protocol LINES = pipeline -> pipeline.addLast(new LineBasedFrameDecoder(1024),
            new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8));

    @TempDir
    static Path dir;
    static Path ca;
    static KeyFiles server;
    static KeyFiles client;
    static Path clientCa;

    @BeforeAll
    static void writeFiles() {
        ca = TestPki.write(dir.resolve("ca.pem"), TestPki.rootPem(TestPki.CA));
        server = TestPki.writePair(dir, "server", TestPki.SERVER);
        client = TestPki.writePair(dir, "client", TestPki.CLIENT);
        clientCa = TestPki.write(dir.resolve("client-ca.pem"), TestPki.rootPem(TestPki.CLIENT_CA));
    }

    @ParameterizedTest
    @MethodSource("providersAndTransports")
    void talksToATrustedServerAndSendsItsName(SslProvider provider, Transport transport) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(transport), transport, serverTls(provider, ClientAuth.NONE));
             RequestClient<String, String> c = RequestClient.connect(config(srv, provider, transport).build(), LINES,
                     String.class)) {
            assertThat(c.send("hello over TLS\n")).isEqualTo("hello over TLS");
            assertThat(srv.sniNames.poll(10, TimeUnit.SECONDS)).isEqualTo(TestPki.SERVER_NAME);
            assertThat(c.client().metrics().bytesOut()).as("plaintext bytes").isEqualTo(15);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void verifiesAnIpAddressToo(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, serverTls(provider, ClientAuth.NONE));
             RequestClient<String, String> c = RequestClient.connect(config(srv, provider, Transport.NIO)
                     .host("127.0.0.1").build(), LINES, String.class)) {
            assertThat(c.send("by address\n")).isEqualTo("by address");
        }
    }

    @ParameterizedTest
    @MethodSource("providersAndTransports")
    void refusesAnUntrustedServer(SslProvider provider, Transport transport) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), server(provider, TestPki.UNTRUSTED_SERVER))) {
            assertThatThrownBy(() -> RequestClient.connect(config(srv, provider, transport).build(), LINES, String.class))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageStartingWith("TLS handshake with 127.0.0.1:" + srv.address().getPort() + " failed: ");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void refusesAServerOfAnotherName(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), server(provider, TestPki.WRONG_HOST_SERVER))) {
            assertThatThrownBy(() -> RequestClient.connect(config(srv, provider, Transport.NIO).build(), LINES, String.class))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("localhost");

            ClientConfig lax = config(srv, provider, Transport.NIO).tlsHostnameVerification(false).build();
            try (RequestClient<String, String> c = RequestClient.connect(lax, LINES, String.class)) {
                assertThat(c.send("unverified\n")).isEqualTo("unverified");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void presentsAClientCertificateWhenAsked(SslProvider provider) throws Exception {
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, serverTls(provider, ClientAuth.REQUIRE))) {
            ClientConfig withCertificate = config(srv, provider, Transport.NIO).tlsKeyPair(client.cert(), client.key()).build();
            try (RequestClient<String, String> c = RequestClient.connect(withCertificate, LINES, String.class)) {
                assertThat(c.send("it is me\n")).isEqualTo("it is me");
                SSLSession session = srv.sessions.poll(10, TimeUnit.SECONDS);
                assertThat(session).isNotNull();
                assertThat(((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName())
                        .isEqualTo("CN=test client");
            }

            // With TLS 1.3 the client may finish its handshake before the server refuses it: either way, no reply.
            Throwable without = catchThrowable(() -> {
                try (RequestClient<String, String> c = RequestClient.connect(config(srv, provider, Transport.NIO).build(),
                        LINES, String.class)) {
                    c.send("anonymous\n");
                }
            });
            assertThat(without).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aMissingTrustBundleIsNamed() {
        Path missing = dir.resolve("no-such-ca.pem");
        ClientConfig config = ClientConfig.builder("localhost", 7).tls(true).tlsTrustBundle(missing).build();

        assertThatThrownBy(() -> RequestClient.connect(config, LINES, String.class))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage(missing + ": file not found");
    }

    private static ClientConfig.Builder config(TlsTestServer srv, SslProvider provider, Transport transport) {
        return ClientConfig.builder(TestPki.SERVER_NAME, srv.address().getPort()).transport(transport)
                .tls(true).tlsTrustBundle(ca).tlsProvider(provider);
    }

    private static ServerTls serverTls(SslProvider provider, ClientAuth clientAuth) throws TlsFileException {
        ServerTls.Builder builder = ServerTls.builder(server.cert(), server.key()).provider(provider).clientAuth(clientAuth);
        return (clientAuth == ClientAuth.NONE ? builder : builder.clientCa(clientCa)).build();
    }

    private static SslContext server(SslProvider provider, X509Bundle bundle) throws Exception {
        return SslContextBuilder.forServer(bundle.getKeyPair().getPrivate(), bundle.getCertificatePath())
                .sslProvider(provider).build();
    }
}
