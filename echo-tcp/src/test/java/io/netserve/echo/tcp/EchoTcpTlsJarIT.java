package io.netserve.echo.tcp;

import io.netserve.test.JarProcess;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.netserve.echo.tcp.Loopback.assertClosedByPeer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TLS part of the contract of {@code echo-tcp.jar} from outside the JVM: the jar with
 * {@code --tls-*} against Debian's {@code openssl s_client} (skipped where {@code openssl} is not
 * installed), the listening line, {@code --version}, and the exit statuses of bad files and bad
 * combinations. Certificates are made at test time; no key is committed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoTcpTlsJarIT {

    private static final Path JAR = Path.of(System.getProperty("echo.tcp.jar", "target/echo-tcp.jar"));
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final Pattern TLS_LISTENING =
            Pattern.compile("^listening on 127\\.0\\.0\\.1:\\d+ \\(transport=(nio|epoll|io_uring|kqueue), tls=on\\)$");

    @TempDir
    static Path pki;
    static Path cert;
    static Path key;
    static Path ca;
    static Path clientCa;
    static Path clientCert;
    static Path clientKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509Bundle serverCa = new CertificateBuilder().subject("CN=echo-tcp test CA").setIsCertificateAuthority(true)
                .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS)).ecp256().buildSelfSigned();
        X509Bundle server = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth()
                .notBefore(now.minus(1, ChronoUnit.HOURS)).notAfter(now.plus(1, ChronoUnit.DAYS)).buildIssuedBy(serverCa);
        X509Bundle clientAuthority = new CertificateBuilder().subject("CN=echo-tcp test client CA")
                .setIsCertificateAuthority(true)
                .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS)).ecp256().buildSelfSigned();
        X509Bundle client = new CertificateBuilder().subject("CN=echo-tcp test client").addExtendedKeyUsageClientAuth()
                .notBefore(now.minus(1, ChronoUnit.HOURS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                .buildIssuedBy(clientAuthority);
        cert = write("tls.crt", server.getCertificatePathPEM());
        key = write("tls.key", server.getPrivateKeyPEM());
        ca = write("ca.pem", serverCa.getRootCertificatePEM());
        clientCa = write("client-ca.pem", clientAuthority.getRootCertificatePEM());
        clientCert = write("client.crt", client.getCertificatePathPEM());
        clientKey = write("client.key", client.getPrivateKeyPEM());
    }

    @Test
    void theListeningLineSaysTlsIsOnAndTheStartLogNamesProviderAndCertificate() {
        try (JarProcess p = startWithTls()) {
            InetSocketAddress address = p.awaitListening();

            assertThat(p.stdout()).filteredOn(l -> l.startsWith("listening on")).singleElement().satisfies(line -> {
                assertThat(line).matches(TLS_LISTENING);
                assertThat(JarProcess.LISTENING.matcher(line).matches()).as("scripts still find the line").isTrue();
            });
            assertThat(p.stdout()).anyMatch(l -> l.matches(".*TLS on 127\\.0\\.0\\.1:" + address.getPort()
                    + ": provider (openssl \\(.+\\)|jdk), client certificates none, .*certificate subject CN=localhost, "
                    + "serial \\p{XDigit}+, expires .+"));
        }
    }

    @Test
    void echoesToOpensslSClientOverTls13AndTls12() throws Exception {
        assumeTrue(opensslInstalled(), "openssl is not installed");
        try (JarProcess p = startWithTls()) {
            InetSocketAddress address = p.awaitListening();
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                try (SClient client = SClient.start(dir, address, version, "-CAfile", ca.toString())) {
                    client.send("hello over " + version + "\n");
                    client.awaitStdout("hello over " + version);
                    assertThat(client.finish()).as("%s", client).isZero();
                    assertThat(client.stderr()).contains("Protocol version: TLSv1." + version.charAt(version.length() - 1))
                            .contains("Verification: OK");
                }
            }
        }
    }

    @Test
    void refusesTls11FromOpensslSClientAndLogsWhy() throws Exception {
        assumeTrue(opensslInstalled(), "openssl is not installed");
        try (JarProcess p = startWithTls()) {
            InetSocketAddress address = p.awaitListening();
            // SECLEVEL=0 lets this client offer TLS 1.1 at all; the server must still refuse it.
            try (SClient client = SClient.start(dir, address, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0",
                    "-CAfile", ca.toString())) {
                client.send("too old\n");
                assertThat(client.awaitExit()).as("%s", client).isNotZero();
                assertThat(client.stderr()).contains("alert protocol version");
                assertThat(client.stdout()).doesNotContain("too old");
            }
            p.awaitStdout(Pattern.compile("TLS handshake with .+ failed: protocol_version"));
        }
    }

    @Test
    void mutualTlsWithAClientCaRequiresAClientCertificate() throws Exception {
        assumeTrue(opensslInstalled(), "openssl is not installed");
        try (JarProcess p = startWithTls("--tls-client-ca", clientCa.toString())) {
            InetSocketAddress address = p.awaitListening();
            try (SClient client = SClient.start(dir, address, "-CAfile", ca.toString(),
                    "-cert", clientCert.toString(), "-key", clientKey.toString())) {
                client.send("with a certificate\n");
                client.awaitStdout("with a certificate");
                assertThat(client.finish()).as("%s", client).isZero();
            }
            try (SClient client = SClient.start(dir, address, "-CAfile", ca.toString())) {
                // With TLS 1.3 the client's handshake completes; the server's alert then ends the connection.
                client.send("without\n");
                assertThat(client.awaitExit()).as("%s", client).isNotZero();
                assertThat(client.stdout()).doesNotContain("without");
                assertThat(client.stderr()).contains("alert certificate required");
            }
            p.awaitStdout(Pattern.compile("TLS handshake with .+ failed: no_client_certificate"));
        }
    }

    @Test
    void aPlaintextClientIsClosedAtOnceWithOneLoggedLine() throws Exception {
        try (JarProcess p = startWithTls()) {
            InetSocketAddress address = p.awaitListening();
            try (Socket s = Loopback.connect(address)) {
                s.setSoTimeout(10_000);   // the handshake timeout; not TLS at all is closed before it
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertClosedByPeer(s);

                String peer = "127.0.0.1:" + s.getLocalPort();
                p.awaitStdout(Pattern.compile("TLS handshake with /" + Pattern.quote(peer) + " failed: not_tls$"));
                assertThat(p.stdout()).filteredOn(l -> l.contains(peer)).hasSize(1);
            }
        }
    }

    @Test
    void versionListsTheTlsProviders() {
        JarProcess p = JarProcess.run(JAR, "--version");

        assertThat(p.awaitExit(EXIT)).isZero();
        String version = String.join("\n", p.stdout());
        assertThat(version).containsPattern("(?m)^tls providers:\n  openssl: (available|unavailable) \\(.+\\)\n  jdk: available$");
        if (System.getProperty("os.name").startsWith("Linux") && "amd64".equals(System.getProperty("os.arch"))) {
            assertThat(version).as("the jar ships BoringSSL for linux-x86_64").contains("  openssl: available (BoringSSL)");
        }
        assertThat(p.stderr()).isEmpty();
    }

    @Test
    void helpListsTheTlsOptions() {
        JarProcess p = JarProcess.run(JAR, "--help");

        assertThat(p.awaitExit(EXIT)).isZero();
        assertThat(String.join("\n", p.stdout())).contains("--tls-cert=FILE", "--tls-key=FILE", "--tls-client-ca=FILE",
                "--tls-client-auth=none|optional|require", "--tls-provider=auto|openssl|jdk");
    }

    @Test
    void aMissingFileIsExitOneNamingIt() {
        Path missing = dir.resolve("missing.crt");

        JarProcess p = JarProcess.run(JAR, "--port", "0", "--tls-cert", missing.toString(), "--tls-key", key.toString());

        assertStartFailure(p, "echo-tcp: cannot use TLS file " + missing + ": file not found");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsExitOneNamingTheKey() {
        JarProcess p = JarProcess.run(JAR, "--port", "0", "--tls-cert", cert.toString(), "--tls-key", clientKey.toString());

        assertStartFailure(p, "echo-tcp: cannot use TLS file " + clientKey + ": private key does not match the certificate in "
                + cert);
    }

    @Test
    void aFileThatIsNotPemIsExitOneNamingIt() throws IOException {
        Path notPem = Files.writeString(dir.resolve("not-pem.crt"), "hello\n");

        JarProcess p = JarProcess.run(JAR, "--port", "0", "--tls-cert", notPem.toString(), "--tls-key", key.toString());

        assertStartFailure(p, "echo-tcp: cannot use TLS file " + notPem + ": not a PEM file");
    }

    @Test
    void aCertificateWithoutAKeyIsExitTwo() {
        JarProcess p = JarProcess.run(JAR, "--port", "0", "--tls-cert", cert.toString());

        assertUsageError(p, "--tls-cert needs --tls-key");
    }

    @Test
    void clientAuthenticationWithoutAClientCaIsExitTwo() {
        JarProcess p = JarProcess.run(JAR, "--port", "0", "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--tls-client-auth", "optional");

        assertUsageError(p, "--tls-client-auth optional needs --tls-client-ca");
    }

    private static JarProcess startWithTls(String... more) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--tls-cert", cert.toString(), "--tls-key", key.toString()));
        args.addAll(List.of(more));
        return JarProcess.start(JAR, args.toArray(String[]::new));
    }

    private static void assertStartFailure(JarProcess p, String line) {
        assertThat(p.awaitExit(EXIT)).as("%s", p).isEqualTo(1);
        assertThat(p.stderr()).as("%s", p).singleElement().asString().startsWith(line);
        assertThat(p.stdout()).noneMatch(l -> l.contains("listening on"));
        p.assertNoStackTrace();
    }

    private static void assertUsageError(JarProcess p, String reason) {
        assertThat(p.awaitExit(EXIT)).as("%s", p).isEqualTo(2);
        assertThat(p.stderrText()).startsWith("echo-tcp: " + reason).contains("--help");
        assertThat(p.stdout()).noneMatch(l -> l.contains("listening on"));
        p.assertNoStackTrace();
    }

    private static Path write(String name, String pem) throws IOException {
        return Files.writeString(pki.resolve(name), pem, StandardCharsets.US_ASCII);
    }

    private static boolean opensslInstalled() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * {@code openssl s_client -brief} connected to the jar, for host {@code localhost}, verifying
     * the server's certificate: what it is given on standard input it sends, what it receives it
     * prints. Its output goes to files, read as it comes; always destroyed by {@link #close()}.
     */
    private static final class SClient implements AutoCloseable {

        private final Process process;
        private final Path out;
        private final Path err;

        private SClient(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        static SClient start(Path dir, InetSocketAddress server, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-brief", "-verify_return_error",
                    "-connect", "127.0.0.1:" + server.getPort(), "-servername", "localhost", "-verify_hostname", "localhost"));
            command.addAll(List.of(args));
            Path out = Files.createTempFile(dir, "s_client", ".out");
            Path err = Files.createTempFile(dir, "s_client", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new SClient(process, out, err);
        }

        void send(String text) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void awaitStdout(String text) {
            await().atMost(EXIT).pollInterval(Duration.ofMillis(50))
                    .failFast("s_client exited; " + this, () -> !process.isAlive() && !stdout().contains(text))
                    .until(() -> stdout().contains(text));
        }

        /** Closes standard input (s_client then closes the connection) and returns the exit status. */
        int finish() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // s_client has exited already
            }
            return awaitExit();
        }

        /** Waits for s_client to exit, as it does when the server ends the connection, and returns the exit status. */
        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)).as("s_client exited; %s", this).isTrue();
            return process.exitValue();
        }

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }

        @Override
        public String toString() {
            return "s_client stdout: " + stdout() + "\ns_client stderr: " + stderr();
        }
    }
}
