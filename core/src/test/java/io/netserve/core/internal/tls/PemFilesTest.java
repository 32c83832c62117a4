package io.netserve.core.internal.tls;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PemFiles}' own PEM reading: the forms and the failures the server's tests do not reach. */
class PemFilesTest {

    private static final Path FILE = Path.of("test.pem");

    @Test
    void ignoresTextAroundTheBlocks() throws Exception {
        String pem = "Bag Attributes\n    friendlyName: server\n" + TestPki.chainPem(TestPki.SERVER) + "trailing words\n";
        assertThat(PemFiles.certificates(FILE, bytes(pem))).singleElement().isEqualTo(TestPki.SERVER.getCertificate());
    }

    @Test
    void readsEveryCertificateOfABundleInOrder() throws Exception {
        String pem = TestPki.rootPem(TestPki.CA) + TestPki.rootPem(TestPki.CLIENT_CA);
        assertThat(PemFiles.certificates(FILE, bytes(pem)))
                .containsExactly(TestPki.CA.getRootCertificate(), TestPki.CLIENT_CA.getRootCertificate());
    }

    @Test
    void readsAnEd25519Key() throws Exception {
        PrivateKey ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        assertThat(PemFiles.privateKey(FILE, bytes(pem("PRIVATE KEY", ed.getEncoded()))).getAlgorithm()).isIn("EdDSA", "Ed25519");
    }

    @Test
    void namesAnAlgorithmItDoesNotSupport() throws Exception {
        PrivateKey dsa = KeyPairGenerator.getInstance("DSA").generateKeyPair().getPrivate();
        assertThatThrownBy(() -> PemFiles.privateKey(FILE, bytes(pem("PRIVATE KEY", dsa.getEncoded()))))
                .isInstanceOf(TlsFileException.class)
                .hasMessage(FILE + ": unsupported private key algorithm 1.2.840.10040.4.1 (RSA, EC and EdDSA are supported)");
    }

    @Test
    void refusesBadBase64AndDerThatIsNoKey() {
        assertThatThrownBy(() -> PemFiles.certificates(FILE, bytes("-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n")))
                .isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(FILE + ": not a valid PEM certificate file: bad base64 in the CERTIFICATE block");
        assertThatThrownBy(() -> PemFiles.privateKey(FILE, bytes(pem("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01}))))
                .isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(FILE + ": not a valid PKCS#8 private key: malformed DER");
    }

    @Test
    void refusesAnEncryptedTraditionalKey() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
                + "AAAA\n-----END RSA PRIVATE KEY-----\n";
        assertThatThrownBy(() -> PemFiles.privateKey(FILE, bytes(pem)))
                .isInstanceOf(TlsFileException.class)
                .hasMessage(FILE + ": encrypted private keys are not supported");
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
