package io.netserve.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The TCP sample servers take echo-tcp's TLS options, with the same exit statuses. */
class ServerTlsOptionsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"chat-server", "kv-server"})
    void acceptsTheTlsOptions(String command) {
        Run help = Run.of(command, "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("--tls-cert=FILE", "--tls-key=FILE", "--tls-client-ca=FILE",
                "--tls-client-auth=none|optional|require", "--tls-provider=auto|openssl|jdk");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat-server", "kv-server"})
    void aCertificateWithoutAKeyIsExitTwo(String command) {
        Run run = Run.of(command, "--port", "0", "--tls-cert", dir.resolve("tls.crt").toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("samples " + command + ": --tls-cert needs --tls-key (give both or neither)\n"
                + "Try 'samples " + command + " --help' for more information.\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chat-server", "kv-server"})
    void aMissingFileIsExitOneNamingIt(String command) {
        Path cert = dir.resolve("tls.crt");
        Run run = Run.of(command, "--port", "0", "--tls-cert", cert.toString(), "--tls-key", dir.resolve("tls.key").toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("samples " + command + ": cannot use TLS file " + cert + ": file not found\n");
        assertThat(run.out()).doesNotContain("listening on");
    }

    @Test
    void versionListsTheTlsProviders() {
        Run run = Run.of("--version");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("tls providers:", "  jdk: available");
    }
}
