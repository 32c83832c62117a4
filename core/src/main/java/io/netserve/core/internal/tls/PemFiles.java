package io.netserve.core.internal.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads PEM certificates and private keys, and checks that a key and its certificate belong
 * together and that a chain is within its validity period. Every failure is a
 * {@link TlsFileException} naming the file.
 *
 * <p>Keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}) or the traditional OpenSSL forms
 * ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}); neither the JDK nor Netty parse
 * the latter, so Bouncy Castle's PEM parser turns every form into PKCS#8, and the JDK's own key
 * factories make the key, which both TLS providers accept.
 */
final class PemFiles {

    /** Far above any real chain or CA bundle (Mozilla's bundle is about 220 KB). */
    static final long MAX_FILE_BYTES = 1 << 20;

    private static final byte[] PROBE = "netserve key check".getBytes(StandardCharsets.US_ASCII);

    private static final Map<ASN1ObjectIdentifier, String> KEY_ALGORITHMS = Map.of(
            PKCSObjectIdentifiers.rsaEncryption, "RSA",
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            EdECObjectIdentifiers.id_Ed448, "Ed448");

    private PemFiles() {
    }

    /** The bytes of {@code file}, following symbolic links. */
    static byte[] read(Path file) throws TlsFileException {
        try {
            if (Files.isDirectory(file)) {
                throw new TlsFileException(file, "is a directory, not a file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new TlsFileException(file, "too large for a PEM file (" + size + " bytes)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsFileException(file, "file not found");
        } catch (AccessDeniedException e) {
            throw new TlsFileException(file, "cannot read: permission denied");
        } catch (IOException e) {
            throw new TlsFileException(file, "cannot read: " + e.getMessage());
        }
    }

    /** The certificates in {@code pem}, in file order; at least one. Other PEM blocks are skipped. */
    static List<X509Certificate> certificates(Path file, byte[] pem) throws TlsFileException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = parser(file, pem)) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof X509CertificateHolder holder) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(holder.getEncoded())));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsFileException(file, "not a valid PEM certificate file: " + message(e));
        }
        if (certificates.isEmpty()) {
            throw new TlsFileException(file, "no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return certificates;
    }

    /** The first private key in {@code pem}: PKCS#8 or a traditional RSA or EC key, not encrypted. */
    static PrivateKey privateKey(Path file, byte[] pem) throws TlsFileException {
        PrivateKeyInfo info = null;
        try (PEMParser parser = parser(file, pem)) {
            for (Object block = parser.readObject(); block != null && info == null; block = parser.readObject()) {
                if (block instanceof PrivateKeyInfo pkcs8) {
                    info = pkcs8;
                } else if (block instanceof PEMKeyPair traditional) {
                    info = traditional.getPrivateKeyInfo();
                } else if (block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair) {
                    throw new TlsFileException(file, "encrypted private keys are not supported");
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsFileException(file, "not a valid PEM private key file: " + message(e));
        }
        if (info == null) {
            throw new TlsFileException(file, "no PEM private key (-----BEGIN PRIVATE KEY-----) found");
        }
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new TlsFileException(file, "unsupported private key algorithm " + oid + " (RSA, EC and EdDSA are supported)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsFileException(file, "not a valid " + algorithm + " private key: " + message(e));
        }
    }

    /**
     * Fails unless {@code key} belongs to {@code certificate}: it signs a probe and the
     * certificate's public key must verify it. Providers do not all check this themselves, and
     * those that do fail later, with a less clear message.
     */
    static void checkKeyMatches(Path keyFile, PrivateKey key, Path certificateFile, X509Certificate certificate)
            throws TlsFileException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(PROBE);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new TlsFileException(keyFile, "private key does not match the certificate in " + certificateFile
                    + " (" + subject(certificate) + ")");
        }
    }

    /** Fails if any certificate of {@code chain} is expired or not yet valid at {@code now}. */
    static void checkValidity(Path file, List<X509Certificate> chain, Instant now) throws TlsFileException {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            String which = i == 0 ? "certificate " : "certificate " + (i + 1) + " of the chain ";
            if (now.isAfter(certificate.getNotAfter().toInstant())) {
                throw new TlsFileException(file, which + "(" + subject(certificate) + ") expired on "
                        + certificate.getNotAfter().toInstant());
            }
            if (now.isBefore(certificate.getNotBefore().toInstant())) {
                throw new TlsFileException(file, which + "(" + subject(certificate) + ") is not valid before "
                        + certificate.getNotBefore().toInstant());
            }
        }
    }

    /** Subject, serial and expiry of a certificate, for log lines. */
    static String describe(X509Certificate certificate) {
        return "subject " + subject(certificate) + ", serial " + certificate.getSerialNumber().toString(16)
                + ", expires " + certificate.getNotAfter().toInstant();
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static PEMParser parser(Path file, byte[] pem) throws TlsFileException {
        // A PEM file is ASCII; ISO-8859-1 maps any byte, so binary input fails in the parser, not here.
        String text = new String(pem, StandardCharsets.ISO_8859_1);
        if (!text.contains("-----BEGIN ")) {
            throw new TlsFileException(file, pem.length == 0 ? "file is empty" : "not a PEM file (no -----BEGIN line)");
        }
        return new PEMParser(new StringReader(text));
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().replace('\n', ' ');
    }
}
