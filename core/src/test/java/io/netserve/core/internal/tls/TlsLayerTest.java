package io.netserve.core.internal.tls;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.tls.TestPki.KeyFiles;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link TlsLayer}: what it loads from a configuration, what it says about it, and the handlers it adds. */
class TlsLayerTest {

    @TempDir
    Path dir;
    private final ServerContext context = new ServerContext(new ServerMetrics());

    @Test
    void describesTheProviderTheClientAuthenticationAndTheCertificate() throws Exception {
        KeyFiles files = TestPki.writePair(dir, "server", TestPki.SERVER);
        Path clientCa = TestPki.write(dir.resolve("client-ca.pem"), TestPki.rootPem(TestPki.CLIENT_CA));
        ServerConfig config = ServerConfig.builder().tls(files.cert(), files.key()).tlsClientCa(clientCa)
                .tlsProvider(SslProvider.JDK).build();
        try (TlsLayer tls = TlsLayer.open(config, context)) {
            assertThat(tls.description()).isEqualTo("provider jdk, client certificates require, handshake timeout 10s, "
                    + "certificate subject CN=localhost, serial " + TestPki.SERVER.getCertificate().getSerialNumber().toString(16)
                    + ", expires " + TestPki.SERVER.getCertificate().getNotAfter().toInstant());
        }
    }

    @Test
    void namesTheOpensslVersion() throws Exception {
        assumeTrue(OpenSsl.isAvailable(), "OpenSSL does not load here");
        KeyFiles files = TestPki.writePair(dir, "server", TestPki.SERVER);
        try (TlsLayer tls = TlsLayer.open(ServerConfig.builder().tls(files.cert(), files.key()).build(), context)) {
            assertThat(tls.description()).startsWith("provider openssl (" + OpenSsl.versionString() + "), client certificates none");
        }
    }

    @Test
    void addsTheTlsHandlerThenTheHandshakeHandler() throws Exception {
        KeyFiles files = TestPki.writePair(dir, "server", TestPki.SERVER);
        try (TlsLayer tls = TlsLayer.open(ServerConfig.builder().tls(files.cert(), files.key()).build(), context)) {
            EmbeddedChannel channel = new EmbeddedChannel();
            tls.addTo(channel.pipeline());
            assertThat(channel.pipeline().names()).startsWith(TlsLayer.HANDLER_NAME, TlsLayer.HANDSHAKE_HANDLER_NAME);
            assertThat(channel.pipeline().get(TlsLayer.HANDLER_NAME)).isInstanceOf(ServerSniHandler.class);
            assertThat(channel.pipeline().get(TlsLayer.HANDSHAKE_HANDLER_NAME)).isInstanceOf(TlsHandshakeHandler.class);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aConfigurationWithoutTlsIsAMistake() {
        assertThatThrownBy(() -> TlsLayer.open(ServerConfig.defaults(), context)).isInstanceOf(IllegalStateException.class);
    }
}
