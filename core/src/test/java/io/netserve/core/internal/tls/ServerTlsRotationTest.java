package io.netserve.core.internal.tls;

import io.netserve.test.LogCapture;
import ch.qos.logback.classic.Level;
import io.netserve.core.Transport;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Replacing the certificate while the server runs: {@link ServerTls#reload()}, and the watcher
 * for each way files get replaced (in place, renamed over, a Kubernetes {@code ..data} symlink
 * swap), with a connection open across the change; and replacements that cannot be used.
 */
class ServerTlsRotationTest extends TlsTestSupport {

    private static final Duration POLL = Duration.ofMillis(50);

    @TempDir
    static Path caDir;
    static ClientTls client;

    @TempDir
    Path dir;
    private ServerTls tls;
    private LogCapture logs;

    @BeforeAll
    static void trustTheCa() throws TlsFileException {
        client = ClientTls.builder().trustBundle(TestPki.write(caDir.resolve("ca.pem"), TestPki.rootPem(TestPki.CA))).build();
    }

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.of(ServerTls.class);
    }

    @AfterEach
    void close() {
        if (tls != null) {
            tls.close();
        }
        logs.close();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void takesFilesWrittenInPlace(SslProvider provider) throws Exception {
        X509Bundle first = TestPki.server();
        Path cert = TestPki.write(dir.resolve("tls.crt"), TestPki.chainPem(first));
        Path key = TestPki.write(dir.resolve("tls.key"), TestPki.pkcs8Pem(first));
        rotateWhileConnected(provider, cert, key, first, next -> {
            TestPki.write(cert, TestPki.chainPem(next));
            TestPki.write(key, TestPki.pkcs8Pem(next));
        });
    }

    @ParameterizedTest
    @MethodSource("providers")
    void takesFilesRenamedOverTheOldOnes(SslProvider provider) throws Exception {
        X509Bundle first = TestPki.server();
        Path cert = TestPki.write(dir.resolve("tls.crt"), TestPki.chainPem(first));
        Path key = TestPki.write(dir.resolve("tls.key"), TestPki.pkcs8Pem(first));
        rotateWhileConnected(provider, cert, key, first, next -> {
            Files.move(TestPki.write(dir.resolve(".tls.crt.tmp"), TestPki.chainPem(next)), cert,
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(TestPki.write(dir.resolve(".tls.key.tmp"), TestPki.pkcs8Pem(next)), key,
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        });
    }

    @ParameterizedTest
    @MethodSource("providers")
    void takesAKubernetesDataSymlinkSwap(SslProvider provider) throws Exception {
        // The layout of a Kubernetes secret volume: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>.
        X509Bundle first = TestPki.server();
        Path data = dir.resolve("..data");
        Files.createSymbolicLink(data, writeVersion("..2025_01_01_00_00_00.1", first).getFileName());
        Path cert = Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data", "tls.crt"));
        Path key = Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data", "tls.key"));
        rotateWhileConnected(provider, cert, key, first, next -> {
            Path version = writeVersion("..2025_01_01_00_00_00.2", next);
            Path staged = Files.createSymbolicLink(dir.resolve("..data_tmp"), version.getFileName());
            Files.move(staged, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            deleteVersion("..2025_01_01_00_00_00.1");
        });
    }

    @Test
    void keepsTheCertificateWhenAReplacementCannotBeUsed() throws Exception {
        X509Bundle first = TestPki.server();
        Path cert = TestPki.write(dir.resolve("tls.crt"), TestPki.chainPem(first));
        Path key = TestPki.write(dir.resolve("tls.key"), TestPki.pkcs8Pem(first));
        tls = ServerTls.builder(cert, key).build();

        // Caught half-written: the watcher's polls are taken by hand, so nothing races.
        String next = TestPki.chainPem(TestPki.server());
        TestPki.write(cert, next.substring(0, next.length() / 2));
        tls.poll();
        assertThat(logs.messages(Level.WARN)).as("a change is taken once two polls agree").isEmpty();
        tls.poll();
        tls.poll();
        assertThat(logs.messages(Level.WARN)).singleElement().asString().startsWith(
                "TLS files changed but cannot be used, keeping serial " + serial(first) + ": " + cert
                        + ": not a valid PEM certificate file: ");
        assertThat(tls.certificate()).isEqualTo(first.getCertificate());

        // A whole new certificate, but the old key.
        X509Bundle second = TestPki.server();
        TestPki.write(cert, TestPki.chainPem(second));
        tls.poll();
        tls.poll();
        assertThat(logs.messages(Level.WARN)).hasSize(2).last().asString().endsWith(
                key + ": private key does not match the certificate in " + cert + " (CN=localhost)");
        assertThat(tls.certificate()).isEqualTo(first.getCertificate());
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, tls);
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), client, TestPki.SERVER_NAME)) {
            assertThat(c.awaitHandshake()).isNull();
            assertThat(c.serverCertificate()).isEqualTo(first.getCertificate());
        }

        // Its key follows: taken.
        TestPki.write(key, TestPki.pkcs8Pem(second));
        tls.poll();
        tls.poll();
        assertThat(tls.certificate()).isEqualTo(second.getCertificate());
        assertThat(logs.messages(Level.WARN)).hasSize(2);
        assertThat(logs.messages(Level.INFO)).containsExactly("TLS certificate reloaded from " + cert
                + ": subject CN=localhost, serial " + serial(second) + ", expires " + second.getCertificate().getNotAfter().toInstant());
        assertThat(logs.anyStackTrace()).isFalse();
    }

    @Test
    void reloadsOnRequest() throws Exception {
        X509Bundle first = TestPki.server();
        Path cert = TestPki.write(dir.resolve("tls.crt"), TestPki.chainPem(first));
        Path key = TestPki.write(dir.resolve("tls.key"), TestPki.pkcs8Pem(first));
        tls = ServerTls.builder(cert, key).build();
        assertThat(tls.reload()).as("unchanged").isFalse();

        X509Bundle second = TestPki.server();
        TestPki.write(cert, TestPki.chainPem(second));
        assertThatThrownBy(tls::reload).isInstanceOf(TlsFileException.class)
                .hasMessage(key + ": private key does not match the certificate in " + cert + " (CN=localhost)");
        assertThat(tls.certificate()).isEqualTo(first.getCertificate());

        TestPki.write(key, TestPki.pkcs8Pem(second));
        assertThat(tls.reload()).isTrue();
        assertThat(tls.certificate()).isEqualTo(second.getCertificate());
        assertThat(tls.reload()).isFalse();

        Files.delete(key);
        assertThatThrownBy(tls::reload).isInstanceOf(TlsFileException.class).hasMessage(key + ": file not found");
        assertThat(tls.certificate()).isEqualTo(second.getCertificate());
    }

    @Test
    void closeStopsTheWatcher() throws Exception {
        X509Bundle first = TestPki.server();
        tls = ServerTls.builder(TestPki.write(dir.resolve("tls.crt"), TestPki.chainPem(first)),
                TestPki.write(dir.resolve("tls.key"), TestPki.pkcs8Pem(first))).build();
        tls.watch(POLL);
        assertThatThrownBy(() -> tls.watch(POLL)).isInstanceOf(IllegalStateException.class).hasMessage("already watching");
        assertThat(watcherThreads()).isPositive();
        tls.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> watcherThreads() == 0);
        tls.close();
        assertThatThrownBy(() -> tls.watch(POLL)).isInstanceOf(IllegalStateException.class).hasMessage("closed");
    }

    /** Rotation that keeps an open connection echoing while new ones get {@code next}. */
    private void rotateWhileConnected(SslProvider provider, Path cert, Path key, X509Bundle first, Replacement replacement)
            throws Exception {
        tls = ServerTls.builder(cert, key).provider(provider).build();
        tls.watch(POLL);
        X509Bundle next = TestPki.server();
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, tls);
             TlsTestClient open = TlsTestClient.connect(clientGroup, srv.address(), client, TestPki.SERVER_NAME)) {
            assertThat(open.echo("before")).isEqualTo("before");
            assertThat(open.serverCertificate()).isEqualTo(first.getCertificate());

            replacement.replace(next);
            await().atMost(Duration.ofSeconds(10)).until(() -> tls.certificate().equals(next.getCertificate()));

            try (TlsTestClient fresh = TlsTestClient.connect(clientGroup, srv.address(), client, TestPki.SERVER_NAME)) {
                assertThat(fresh.awaitHandshake()).isNull();
                assertThat(fresh.serverCertificate().getSerialNumber()).isEqualTo(next.getCertificate().getSerialNumber());
            }
            assertThat(open.echo("after")).isEqualTo("after");
            assertThat(open.serverCertificate()).isEqualTo(first.getCertificate());
        }
        // A poll between the two files' writes may log a WARN for the pair; that is fine, and not asserted.
        assertThat(logs.messages(Level.INFO)).singleElement().asString().contains("serial " + serial(next) + ", expires");
    }

    private Path writeVersion(String name, X509Bundle bundle) throws IOException {
        Path version = Files.createDirectory(dir.resolve(name));
        TestPki.write(version.resolve("tls.crt"), TestPki.chainPem(bundle));
        TestPki.write(version.resolve("tls.key"), TestPki.pkcs8Pem(bundle));
        return version;
    }

    private void deleteVersion(String name) throws IOException {
        Path version = dir.resolve(name);
        Files.delete(version.resolve("tls.crt"));
        Files.delete(version.resolve("tls.key"));
        Files.delete(version);
    }

    private static String serial(X509Bundle bundle) {
        return bundle.getCertificate().getSerialNumber().toString(16);
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("netserve-tls-watch") && t.isAlive()).count();
    }

    @FunctionalInterface
    private interface Replacement {
        void replace(X509Bundle next) throws Exception;
    }
}
