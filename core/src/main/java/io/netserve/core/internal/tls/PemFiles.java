package io.netserve.core.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys, and checks that a key and its certificate belong
 * together and that a chain is within its validity period. Every failure is a
 * {@link TlsFileException} naming the file.
 *
 * <p>Keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}) or the traditional OpenSSL forms
 * ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}). The JDK reads certificates and
 * PKCS#8 keys; only the traditional forms, which neither the JDK nor Netty parse, go through
 * {@link TraditionalKeys} and Bouncy Castle, so a server with a PKCS#8 key never loads it.
 */
final class PemFiles {

    /** Far above any real chain or CA bundle (Mozilla's bundle is about 220 KB). */
    static final long MAX_FILE_BYTES = 1 << 20;

    private static final byte[] PROBE = "netserve key check".getBytes(StandardCharsets.US_ASCII);

    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");

    /** The key algorithms by the OID in a PKCS#8 key: rsaEncryption, id-ecPublicKey, id-Ed25519, id-Ed448. */
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

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
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file, pem)) {
                if (block.label.equals("CERTIFICATE") || block.label.equals("X509 CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
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
        byte[] pkcs8 = null;
        try {
            for (Block block : blocks(file, pem)) {
                if (block.label.equals("ENCRYPTED PRIVATE KEY") || block.encrypted()) {
                    throw new TlsFileException(file, "encrypted private keys are not supported");
                }
                if (block.label.equals("PRIVATE KEY")) {
                    pkcs8 = block.der();
                } else if (block.label.equals("RSA PRIVATE KEY") || block.label.equals("EC PRIVATE KEY")) {
                    pkcs8 = TraditionalKeys.toPkcs8(block.text);
                } else if (block.label.equals("DSA PRIVATE KEY")) {
                    throw new TlsFileException(file, "unsupported private key algorithm DSA (RSA, EC and EdDSA are supported)");
                }
                if (pkcs8 != null) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsFileException(file, "not a valid PEM private key file: " + message(e));
        }
        if (pkcs8 == null) {
            throw new TlsFileException(file, "no PEM private key (-----BEGIN PRIVATE KEY-----) found");
        }
        String oid;
        try {
            oid = Der.pkcs8Algorithm(pkcs8);
        } catch (IOException e) {
            throw new TlsFileException(file, "not a valid PKCS#8 private key: " + message(e));
        }
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new TlsFileException(file, "unsupported private key algorithm " + oid + " (RSA, EC and EdDSA are supported)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
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

    /** The PEM blocks of {@code pem}, in file order; text outside them is ignored. */
    private static List<Block> blocks(Path file, byte[] pem) throws TlsFileException, IOException {
        // A PEM file is ASCII; ISO-8859-1 maps any byte, so binary input fails below, not here.
        String text = new String(pem, StandardCharsets.ISO_8859_1);
        if (!text.contains("-----BEGIN ")) {
            throw new TlsFileException(file, pem.length == 0 ? "file is empty" : "not a PEM file (no -----BEGIN line)");
        }
        List<Block> blocks = new ArrayList<>();
        Matcher begin = BEGIN.matcher(text);
        int from = 0;
        while (begin.find(from)) {
            String label = begin.group(1);
            String end = "-----END " + label + "-----";
            int endAt = text.indexOf(end, begin.end());
            if (endAt < 0) {
                throw new IOException("no " + end + " line (is the file complete?)");
            }
            from = endAt + end.length();
            blocks.add(new Block(label, text.substring(begin.start(), from), text.substring(begin.end(), endAt)));
        }
        return blocks;
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().replace('\n', ' ');
    }

    /**
     * One {@code -----BEGIN label-----} ... {@code -----END label-----} block: its whole text, and
     * its body (optional RFC 1421 headers such as {@code Proc-Type}, then base64).
     */
    private record Block(String label, String text, String body) {

        /** An OpenSSL traditional key encrypted with a pass phrase: {@code Proc-Type: 4,ENCRYPTED}. */
        boolean encrypted() {
            return body.contains("Proc-Type:") && body.contains("ENCRYPTED");
        }

        /** The body decoded: DER. */
        byte[] der() throws IOException {
            StringBuilder base64 = new StringBuilder(body.length());
            for (String line : body.split("\r?\n")) {
                if (!line.contains(":")) {
                    base64.append(line.strip());
                }
            }
            try {
                return Base64.getDecoder().decode(base64.toString());
            } catch (IllegalArgumentException e) {
                throw new IOException("bad base64 in the " + label + " block: " + e.getMessage(), e);
            }
        }
    }

    /** Just enough DER to read the algorithm of a PKCS#8 {@code PrivateKeyInfo}. */
    private static final class Der {

        private final byte[] bytes;
        private int at;
        private final int end;

        private Der(byte[] bytes, int from, int end) {
            this.bytes = bytes;
            this.at = from;
            this.end = end;
        }

        /**
         * The dotted OID of {@code PrivateKeyInfo ::= SEQUENCE { version INTEGER,
         * privateKeyAlgorithm AlgorithmIdentifier, ... }}, where
         * {@code AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, ... }}.
         */
        static String pkcs8Algorithm(byte[] der) throws IOException {
            Der info = new Der(der, 0, der.length).enter(0x30);
            info.skip(0x02);
            return info.enter(0x30).oid();
        }

        /** The contents of the next element, which must have {@code tag}. */
        private Der enter(int tag) throws IOException {
            int length = header(tag);
            Der inner = new Der(bytes, at, at + length);
            at += length;
            return inner;
        }

        private void skip(int tag) throws IOException {
            int length = header(tag);
            at += length;
        }

        private String oid() throws IOException {
            int length = header(0x06);
            StringBuilder dotted = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (int i = at; i < at + length; i++) {
                value = (value << 7) | (bytes[i] & 0x7f);
                if ((bytes[i] & 0x80) == 0) {
                    if (first) {
                        int arc = (int) Math.min(value / 40, 2);
                        dotted.append(arc).append('.').append(value - 40L * arc);
                        first = false;
                    } else {
                        dotted.append('.').append(value);
                    }
                    value = 0;
                }
            }
            at += length;
            return dotted.toString();
        }

        /** Reads the tag (which must be {@code tag}) and the length of the next element; returns the length. */
        private int header(int tag) throws IOException {
            if (at + 2 > end || (bytes[at] & 0xff) != tag) {
                throw new IOException("malformed DER: expected tag " + tag + " at byte " + at);
            }
            at++;
            int length = bytes[at++] & 0xff;
            if (length > 0x80 && length <= 0x84) {
                int octets = length - 0x80;
                length = 0;
                for (int i = 0; i < octets; i++) {
                    if (at >= end) {
                        throw new IOException("malformed DER: truncated length");
                    }
                    length = (length << 8) | (bytes[at++] & 0xff);
                }
            } else if (length >= 0x80) {
                throw new IOException("malformed DER: unsupported length form");
            }
            if (length < 0 || at + length > end) {
                throw new IOException("malformed DER: element longer than its container");
            }
            return length;
        }
    }
}
