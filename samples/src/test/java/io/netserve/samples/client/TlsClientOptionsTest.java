package io.netserve.samples.client;

import io.netserve.echo.tcp.EchoHandler;
import io.netserve.samples.Run;
import io.netserve.samples.kv.KvProtocol;
import io.netserve.samples.kv.KvStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tcp-client} and {@code kv-client} over TLS: {@code --tls}, {@code --tls-ca}, {@code --tls-cert} and {@code --tls-key}. */
class TlsClientOptionsTest {

    @TempDir
    static Path dir;
    static TlsServers.Pki pki;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TlsServers.pki(dir);
    }

    @Test
    void tcpClientTrustsTheServerThroughItsCaBundle() throws Exception {
        try (TlsServers.Server echo = TlsServers.start(pki, false, p -> p.addLast(EchoHandler.INSTANCE))) {
            Run byName = Run.of("tcp-client", "--tls-ca", pki.ca().toString(), "--host", "localhost", "--port", echo.port(),
                    "-m", "secret", "-m", "again");
            assertThat(byName).isEqualTo(new Run(0, "secret\nagain\n", ""));

            Run byAddress = Run.of("tcp-client", "--tls", "--tls-ca", pki.ca().toString(), "--port", echo.port(), "-m", "ip");
            assertThat(byAddress).isEqualTo(new Run(0, "ip\n", ""));
        }
    }

    @Test
    void anUntrustedServerIsOneLineAndStatusOne() throws Exception {
        try (TlsServers.Server echo = TlsServers.start(pki, false, p -> p.addLast(EchoHandler.INSTANCE))) {
            Run run = Run.of("tcp-client", "--tls", "--port", echo.port(), "-m", "hi");

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("samples tcp-client: TLS handshake with 127.0.0.1:" + echo.port() + " failed: ")
                    .hasLineCount(1);
        }
    }

    @Test
    void kvClientPresentsItsCertificateToAServerThatRequiresOne() throws Exception {
        KvProtocol kv = new KvProtocol(new KvStore(), KvProtocol.DEFAULT_MAX_FRAME);
        try (TlsServers.Server server = TlsServers.start(pki, true, kv)) {
            String[] tls = {"--tls-ca", pki.ca().toString(), "--tls-cert", pki.clientCert().toString(),
                    "--tls-key", pki.clientKey().toString(), "--port", server.port()};
            assertThat(Run.of(concat(tls, "set", "city", "Zürich"))).isEqualTo(new Run(0, "OK\n", ""));
            assertThat(Run.of(concat(tls, "get", "city"))).isEqualTo(new Run(0, "Zürich\n", ""));

            Run anonymous = Run.of("kv-client", "--tls-ca", pki.ca().toString(), "--port", server.port(), "get", "city");
            assertThat(anonymous.status()).isEqualTo(1);
            assertThat(anonymous.err()).startsWith("samples kv-client: ").hasLineCount(1);
        }
    }

    @Test
    void aMissingFileIsNamedAndStatusOne() {
        Path missing = dir.resolve("no-such-ca.pem");
        Run run = Run.of("kv-client", "--tls-ca", missing.toString(), "--port", "7", "get", "k");

        assertThat(run).isEqualTo(new Run(1, "", "samples kv-client: " + missing + ": file not found\n"));
    }

    @Test
    void aCertificateWithoutItsKeyIsABadCommandLine() {
        Run run = Run.of("tcp-client", "--tls-cert", pki.clientCert().toString(), "-m", "x");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("samples tcp-client: --tls-cert and --tls-key go together: give both or neither\n")
                .contains("Try 'samples tcp-client --help'");
    }

    private static String[] concat(String[] options, String... operands) {
        String[] all = new String[options.length + operands.length + 1];
        all[0] = "kv-client";
        System.arraycopy(options, 0, all, 1, options.length);
        System.arraycopy(operands, 0, all, options.length + 1, operands.length);
        return all;
    }
}
