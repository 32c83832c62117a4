package io.netserve.core.config;

import io.netserve.core.Transport;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientConfigTest {

    @Test
    void defaultsAreSafe() {
        ClientConfig config = ClientConfig.builder("db.internal", 7000).build();

        assertThat(config.host()).isEqualTo("db.internal");
        assertThat(config.port()).isEqualTo(7000);
        assertThat(config.transport()).isEqualTo(Transport.AUTO);
        assertThat(config.eventLoopGroup()).isEmpty();
        assertThat(config.connectTimeout()).isEqualTo(ClientConfig.DEFAULT_CONNECT_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.requestTimeout()).isEqualTo(ClientConfig.DEFAULT_REQUEST_TIMEOUT);
        assertThat(config.retries()).isEqualTo(ClientConfig.DEFAULT_RETRIES);
        assertThat(config.maxRequestsInFlight()).isEqualTo(ClientConfig.DEFAULT_MAX_REQUESTS_IN_FLIGHT);
        assertThat(config.allIdleTimeout()).isZero();
        assertThat(config.reconnect()).isFalse();
        assertThat(config.tls()).isFalse();
        assertThat(config.tlsHostnameVerification()).isTrue();
        assertThat(config.maxDatagramSize()).isEqualTo(ServerConfig.MAX_UDP_PAYLOAD);
        assertThat(config.toString()).isEqualTo("ClientConfig{server=db.internal:7000, transport=auto, connectTimeout=10s, "
                + "requestTimeout=10s, maxRequestsInFlight=1024}");
    }

    @Test
    void everySetterRefusesAValueOutOfRangeNamingIt() {
        assertThatThrownBy(() -> ClientConfig.builder("h", 0)).hasMessage("port must be between 1 and 65535, was 0");
        assertThatThrownBy(() -> ClientConfig.builder(" ", 1)).hasMessage("host must not be blank");
        ClientConfig.Builder b = ClientConfig.builder("h", 1);
        assertThatThrownBy(() -> b.connectTimeout(Duration.ofHours(25)))
                .hasMessage("connectTimeout must be between 0 and 24h, was 25h");
        assertThatThrownBy(() -> b.requestTimeout(Duration.ofMillis(-1))).hasMessageStartingWith("requestTimeout must be");
        assertThatThrownBy(() -> b.retries(101)).hasMessage("retries must be between 0 and 100, was 101");
        assertThatThrownBy(() -> b.maxRequestsInFlight(0)).hasMessage("maxRequestsInFlight must be between 1 and 1000000, was 0");
        assertThatThrownBy(() -> b.maxDatagramSize(65_508)).hasMessage("maxDatagramSize must be between 1 and 65507, was 65508");
        assertThatThrownBy(() -> b.writeBufferWaterMark(10, 5)).hasMessageStartingWith("writeBufferLowWaterMark must be at most");
        assertThatThrownBy(() -> b.reconnectBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("reconnectInitialDelay must be positive, was 0");
        assertThatThrownBy(() -> b.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("reconnectInitialDelay must be at most reconnectMaxDelay (1s), was 2s");
        assertThatThrownBy(() -> b.tlsKeyPair(Path.of("c.pem"), null))
                .hasMessage("tlsKeyPair needs both a certificate chain and a private key, or neither");
        assertThatThrownBy(() -> b.tlsProvider(SslProvider.OPENSSL_REFCNT)).hasMessageStartingWith("tlsProvider must be");
    }

    @Test
    void tlsFilesNeedTls() {
        assertThatThrownBy(() -> ClientConfig.builder("h", 1).tlsTrustBundle(Path.of("ca.pem")).build())
                .hasMessage("tlsTrustBundle needs tls(true)");
        assertThatThrownBy(() -> ClientConfig.builder("h", 1).tlsKeyPair(Path.of("c.pem"), Path.of("k.pem")).build())
                .hasMessage("tlsKeyPair needs tls(true)");

        ClientConfig tls = ClientConfig.builder("h", 1).tls(true).tlsTrustBundle(Path.of("ca.pem"))
                .tlsKeyPair(Path.of("c.pem"), Path.of("k.pem")).tlsHostnameVerification(false).build();
        assertThat(tls.tlsTrustBundle()).contains(Path.of("ca.pem"));
        assertThat(tls.tlsCertificateChain()).contains(Path.of("c.pem"));
        assertThat(tls.tlsPrivateKey()).contains(Path.of("k.pem"));
        assertThat(tls.toString()).contains("tls (host name not verified)");
    }

    @Test
    void toBuilderDerivesAVariant() {
        ClientConfig base = ClientConfig.builder("::1", 9).reconnect(true)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofSeconds(5)).requestTimeout(Duration.ofMillis(250)).build();

        ClientConfig other = base.toBuilder().port(10).build();

        assertThat(other.port()).isEqualTo(10);
        assertThat(other.host()).isEqualTo("::1");
        assertThat(other.reconnect()).isTrue();
        assertThat(other.reconnectInitialDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(other.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(other.requestTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(other.toString()).startsWith("ClientConfig{server=[::1]:10,").contains("reconnect=50ms..5s");
    }
}
