package io.netserve.core.internal.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsProvidersTest {

    @Test
    void autoChoosesOpensslWhenItLoads() {
        assertThat(TlsProviders.resolve(null)).isEqualTo(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
        assertThat(TlsProviders.resolve(SslProvider.JDK)).isEqualTo(SslProvider.JDK);
    }

    @Test
    void refusesWhatItCannotServe() {
        assertThatThrownBy(() -> TlsProviders.resolve(SslProvider.OPENSSL_REFCNT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use OPENSSL");
        if (!OpenSsl.isAvailable()) {
            assertThatThrownBy(() -> TlsProviders.resolve(SslProvider.OPENSSL))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("TLS provider openssl is unavailable (");
        }
    }

    @Test
    void reportsEachProviderOnOneLine() {
        String openssl = OpenSsl.isAvailable() ? "openssl: available (" + OpenSsl.versionString() + ")" : "openssl: unavailable (";
        assertThat(TlsProviders.availabilityReport().lines().toList())
                .hasSize(2)
                .satisfies(lines -> assertThat(lines.get(0)).startsWith(openssl))
                .satisfies(lines -> assertThat(lines.get(1)).isEqualTo("jdk: available"));
        // The build's test class path has the Linux x86-64 native.
        if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
            assertThat(TlsProviders.availabilityReport()).startsWith("openssl: available (BoringSSL)");
        }
    }
}
