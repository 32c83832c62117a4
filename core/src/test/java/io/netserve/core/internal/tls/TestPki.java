package io.netserve.core.internal.tls;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for the TLS tests, made at test time (no private key is committed): a CA, server
 * certificates it issues for {@code localhost}, 127.0.0.1 and ::1, and the bad ones. Made once per
 * test JVM; each server certificate has its own serial, so a test can tell which one it got.
 * Public for the TLS tests of the servers that use this package.
 */
public final class TestPki {

    public static final String SERVER_NAME = "localhost";

    private static final AtomicLong serials = new AtomicLong(1000);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** The CA that issues the good server certificates. */
    public static final X509Bundle CA = build(new CertificateBuilder().subject("CN=netserve test CA").setIsCertificateAuthority(true), null);
    /** The CA that issues client certificates. */
    public static final X509Bundle CLIENT_CA = build(new CertificateBuilder().subject("CN=netserve test client CA").setIsCertificateAuthority(true), null);
    /** A CA that nobody trusts. */
    public static final X509Bundle OTHER_CA = build(new CertificateBuilder().subject("CN=unknown CA").setIsCertificateAuthority(true), null);

    public static final X509Bundle SERVER = server();
    public static final X509Bundle CLIENT = build(leaf("CN=test client").addExtendedKeyUsageClientAuth(), CLIENT_CA);
    /**
     * A client certificate from a CA with the client CA's name but another key: clients send it
     * (they choose by issuer name), and the server must refuse it.
     */
    public static final X509Bundle IMPOSTOR_CLIENT = build(leaf("CN=impostor client").addExtendedKeyUsageClientAuth(),
            build(new CertificateBuilder().subject("CN=netserve test client CA").setIsCertificateAuthority(true), null));
    public static final X509Bundle UNTRUSTED_SERVER = build(serverLeaf(), OTHER_CA);
    public static final X509Bundle WRONG_HOST_SERVER = build(leaf("CN=other.example").addSanDnsName("other.example")
            .addExtendedKeyUsageServerAuth(), CA);
    public static final X509Bundle EXPIRED_SERVER = build(serverLeaf()
            .notBefore(NOW.minus(2, ChronoUnit.DAYS)).notAfter(NOW.minus(1, ChronoUnit.DAYS)), CA);
    public static final X509Bundle NOT_YET_VALID_SERVER = build(serverLeaf()
            .notBefore(NOW.plus(1, ChronoUnit.DAYS)).notAfter(NOW.plus(2, ChronoUnit.DAYS)), CA);

    private TestPki() {
    }

    /** A new EC server certificate for {@code localhost} from {@link #CA}, with a serial of its own. */
    public static X509Bundle server() {
        return build(serverLeaf(), CA);
    }

    /** A new RSA server certificate from {@link #CA}. */
    public static X509Bundle rsaServer() {
        return build(serverLeaf().rsa2048(), CA);
    }

    /** The key pair's certificate chain, leaf first, as PEM (without the root). */
    public static String chainPem(X509Bundle bundle) {
        return bundle.getCertificatePathPEM();
    }

    /** The private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public static String pkcs8Pem(X509Bundle bundle) {
        return bundle.getPrivateKeyPEM();
    }

    /**
     * The private key in OpenSSL's traditional form: PKCS#1 {@code BEGIN RSA PRIVATE KEY}, or SEC 1
     * {@code BEGIN EC PRIVATE KEY} with its curve, as {@code openssl} writes them.
     */
    public static String traditionalPem(X509Bundle bundle) {
        PrivateKey key = bundle.getKeyPair().getPrivate();
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            if (key instanceof java.security.interfaces.ECPrivateKey ec) {
                // The JDK's PKCS#8 keeps the curve outside the SEC 1 structure; the traditional form needs it inside.
                ECPrivateKey sec1 = ECPrivateKey.getInstance(info.parsePrivateKey());
                ECPrivateKey withCurve = new ECPrivateKey(ec.getParams().getOrder().bitLength(), sec1.getKey(),
                        sec1.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters());
                writer.writeObject(new PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
            } else {
                writer.writeObject(new PemObject("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The root certificate as PEM, for a trust bundle. */
    public static String rootPem(X509Bundle bundle) {
        return bundle.getRootCertificatePEM();
    }

    /** Writes {@code text} to {@code file} and returns the file. */
    public static Path write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Key and certificate files written to a directory. */
    public record KeyFiles(Path cert, Path key) {
    }

    /** Writes the chain to {@code dir/<name>.crt} and the PKCS#8 key to {@code dir/<name>.key}. */
    public static KeyFiles writePair(Path dir, String name, X509Bundle bundle) {
        return new KeyFiles(write(dir.resolve(name + ".crt"), chainPem(bundle)), write(dir.resolve(name + ".key"), pkcs8Pem(bundle)));
    }

    private static CertificateBuilder serverLeaf() {
        return leaf("CN=" + SERVER_NAME).addSanDnsName(SERVER_NAME).addSanIpAddress("127.0.0.1").addSanIpAddress("::1")
                .addExtendedKeyUsageServerAuth();
    }

    private static CertificateBuilder leaf(String subject) {
        return new CertificateBuilder().subject(subject)
                .notBefore(NOW.minus(1, ChronoUnit.HOURS)).notAfter(NOW.plus(1, ChronoUnit.DAYS));
    }

    private static X509Bundle build(CertificateBuilder builder, X509Bundle issuer) {
        try {
            builder.serial(BigInteger.valueOf(serials.incrementAndGet()));
            if (issuer == null) {
                return builder.notBefore(NOW.minus(1, ChronoUnit.DAYS)).notAfter(NOW.plus(30, ChronoUnit.DAYS))
                        .ecp256().buildSelfSigned();
            }
            return builder.buildIssuedBy(issuer);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
