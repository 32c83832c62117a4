package io.netserve.core.internal.tls;

import io.netserve.core.internal.tls.TestPki.KeyFiles;
import io.netserve.core.Transport;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loading {@link ServerTls}: the PEM key forms it reads, and the one-line message, naming the
 * file, for each file it cannot use.
 */
class ServerTlsLoadTest extends TlsTestSupport {

    @TempDir
    static Path dir;
    static KeyFiles server;
    static X509Bundle rsaServer;

    @BeforeAll
    static void writeFiles() {
        server = TestPki.writePair(dir, "server", TestPki.SERVER);
        rsaServer = TestPki.rsaServer();
    }

    static Stream<Arguments> keyForms() {
        return providers().flatMap(p -> Stream.of(
                Arguments.of(p, "PKCS#8 EC", TestPki.SERVER, TestPki.pkcs8Pem(TestPki.SERVER), "-----BEGIN PRIVATE KEY-----"),
                Arguments.of(p, "PKCS#8 RSA", rsaServer, TestPki.pkcs8Pem(rsaServer), "-----BEGIN PRIVATE KEY-----"),
                Arguments.of(p, "traditional EC", TestPki.SERVER, TestPki.traditionalPem(TestPki.SERVER), "-----BEGIN EC PRIVATE KEY-----"),
                Arguments.of(p, "traditional RSA", rsaServer, TestPki.traditionalPem(rsaServer), "-----BEGIN RSA PRIVATE KEY-----")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("keyForms")
    void readsEachKeyForm(SslProvider provider, String form, X509Bundle bundle, String keyPem, String header) throws Exception {
        assertThat(keyPem).startsWith(header);
        String name = (provider + "-" + form).replaceAll("[^A-Za-z0-9]", "_");
        Path cert = TestPki.write(dir.resolve(name + ".crt"), TestPki.chainPem(bundle));
        Path key = TestPki.write(dir.resolve(name + ".key"), keyPem);
        ServerTls tls = ServerTls.builder(cert, key).provider(provider).build();
        assertThat(tls.provider()).isEqualTo(provider);
        assertThat(tls.certificate()).isEqualTo(bundle.getCertificate());
        try (TlsTestServer srv = TlsTestServer.start(serverGroup(), Transport.NIO, tls);
             TlsTestClient c = TlsTestClient.connect(clientGroup, srv.address(), trustingClient(), TestPki.SERVER_NAME)) {
            assertThat(c.echo("key form " + form)).isEqualTo("key form " + form);
        }
    }

    @Test
    void readsKeysWrittenByOpenssl() throws Exception {
        assumeTrue(opensslInstalled(), "openssl is not installed");
        Path rsaKey = dir.resolve("openssl-rsa.key");
        Path rsaCert = dir.resolve("openssl-rsa.crt");
        Path ecKey = dir.resolve("openssl-ec.key");
        Path ecCert = dir.resolve("openssl-ec.crt");
        openssl("genrsa", "-traditional", "-out", rsaKey.toString(), "2048");
        openssl("req", "-x509", "-new", "-key", rsaKey.toString(), "-out", rsaCert.toString(), "-subj", "/CN=localhost", "-days", "1");
        // ecparam -genkey writes an EC PARAMETERS block before the key.
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", ecKey.toString());
        openssl("req", "-x509", "-new", "-key", ecKey.toString(), "-out", ecCert.toString(), "-subj", "/CN=localhost", "-days", "1");
        assertThat(Files.readString(rsaKey)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(ecKey)).startsWith("-----BEGIN EC PARAMETERS-----").contains("-----BEGIN EC PRIVATE KEY-----");
        for (SslProvider provider : providers().toList()) {
            assertThat(ServerTls.builder(rsaCert, rsaKey).provider(provider).build().certificate().getSubjectX500Principal().getName())
                    .isEqualTo("CN=localhost");
            assertThat(ServerTls.builder(ecCert, ecKey).provider(provider).build().provider()).isEqualTo(provider);
        }
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("missing.crt");
        assertLoadFails(missing, server.key(), missing + ": file not found");
        Path missingKey = dir.resolve("missing.key");
        assertLoadFails(server.cert(), missingKey, missingKey + ": file not found");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsNamed() {
        Path otherKey = TestPki.write(dir.resolve("other.key"), TestPki.pkcs8Pem(TestPki.server()));
        assertLoadFails(server.cert(), otherKey,
                otherKey + ": private key does not match the certificate in " + server.cert() + " (CN=localhost)");
        // An RSA key for an EC certificate: the probe cannot even be verified.
        Path rsaKey = TestPki.write(dir.resolve("rsa-other.key"), TestPki.pkcs8Pem(rsaServer));
        assertLoadFails(server.cert(), rsaKey,
                rsaKey + ": private key does not match the certificate in " + server.cert() + " (CN=localhost)");
    }

    @Test
    void aFileThatIsNotPemIsNamed() throws Exception {
        Path der = dir.resolve("server.der");
        Files.write(der, TestPki.SERVER.getCertificate().getEncoded());
        assertLoadFails(der, server.key(), der + ": not a PEM file (no -----BEGIN line)");
        Path empty = TestPki.write(dir.resolve("empty.crt"), "");
        assertLoadFails(empty, server.key(), empty + ": file is empty");
        assertLoadFails(dir, server.key(), dir + ": is a directory, not a file");
        // The key where the certificate should be, and the other way round.
        assertLoadFails(server.key(), server.key(), server.key() + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        assertLoadFails(server.cert(), server.cert(), server.cert() + ": no PEM private key (-----BEGIN PRIVATE KEY-----) found");
    }

    @Test
    void aHalfWrittenFileIsNamed() {
        String pem = TestPki.chainPem(TestPki.SERVER);
        Path half = TestPki.write(dir.resolve("half.crt"), pem.substring(0, pem.length() / 2));
        assertThatThrownBy(() -> ServerTls.builder(half, server.key()).build())
                .isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(half + ": not a valid PEM certificate file: ");
        String key = TestPki.pkcs8Pem(TestPki.SERVER);
        Path halfKey = TestPki.write(dir.resolve("half.key"), key.substring(0, key.length() - 40));
        assertThatThrownBy(() -> ServerTls.builder(server.cert(), halfKey).build())
                .isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(halfKey + ": not a valid PEM private key file: ");
    }

    @Test
    void anEncryptedKeyIsRefused() throws Exception {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(TestPki.SERVER.getKeyPair().getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build()));
        }
        Path encrypted = TestPki.write(dir.resolve("encrypted.key"), pem.toString());
        assertLoadFails(server.cert(), encrypted, encrypted + ": encrypted private keys are not supported");
    }

    @Test
    void aCertificateOutsideItsValidityIsNamed() {
        KeyFiles expired = TestPki.writePair(dir, "expired", TestPki.EXPIRED_SERVER);
        assertThatThrownBy(() -> ServerTls.builder(expired.cert(), expired.key()).build())
                .isInstanceOf(TlsFileException.class)
                .hasMessage(expired.cert() + ": certificate (CN=localhost) expired on "
                        + TestPki.EXPIRED_SERVER.getCertificate().getNotAfter().toInstant());
        KeyFiles future = TestPki.writePair(dir, "future", TestPki.NOT_YET_VALID_SERVER);
        assertThatThrownBy(() -> ServerTls.builder(future.cert(), future.key()).build())
                .isInstanceOf(TlsFileException.class)
                .hasMessage(future.cert() + ": certificate (CN=localhost) is not valid before "
                        + TestPki.NOT_YET_VALID_SERVER.getCertificate().getNotBefore().toInstant());
    }

    @Test
    void aMissingClientCaIsNamed() {
        Path missing = dir.resolve("missing-ca.pem");
        assertThatThrownBy(() -> ServerTls.builder(server.cert(), server.key()).clientCa(missing).clientAuth(ClientAuth.REQUIRE).build())
                .isInstanceOf(TlsFileException.class)
                .hasMessage(missing + ": file not found");
    }

    @Test
    void clientAuthenticationNeedsACaBundle() {
        assertThatThrownBy(() -> ServerTls.builder(server.cert(), server.key()).clientAuth(ClientAuth.OPTIONAL).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("client authentication optional needs a client CA bundle");
    }

    @Test
    void choosesOpensslWhenItLoads() throws Exception {
        ServerTls tls = ServerTls.builder(server.cert(), server.key()).build();
        assertThat(tls.provider()).isEqualTo(TlsProviders.resolve(null));
        assertThat(tls.handshakeTimeout()).hasSeconds(10);
    }

    private static void assertLoadFails(Path cert, Path key, String message) {
        assertThatThrownBy(() -> ServerTls.builder(cert, key).build())
                .isInstanceOf(TlsFileException.class)
                .hasMessage(message);
    }

    private static ClientTls trustingClient() throws TlsFileException {
        return ClientTls.builder().trustBundle(TestPki.write(dir.resolve("ca.pem"), TestPki.rootPem(TestPki.CA))).build();
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

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", String.join(" ", args), output).isZero();
    }
}
