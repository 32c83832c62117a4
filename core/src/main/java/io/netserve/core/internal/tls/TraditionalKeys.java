package io.netserve.core.internal.tls;

import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

import java.io.IOException;
import java.io.StringReader;

/**
 * The traditional OpenSSL private key forms, {@code BEGIN RSA PRIVATE KEY} (PKCS#1) and
 * {@code BEGIN EC PRIVATE KEY} (SEC 1), made PKCS#8 by Bouncy Castle's PEM parser. A class of its
 * own so that Bouncy Castle is loaded only when such a key is read.
 */
final class TraditionalKeys {

    private TraditionalKeys() {
    }

    /** The PKCS#8 encoding of the unencrypted traditional key in {@code pemBlock}, one PEM block. */
    static byte[] toPkcs8(String pemBlock) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pemBlock))) {
            Object key = parser.readObject();
            if (!(key instanceof PEMKeyPair pair)) {
                throw new IOException("not an RSA or EC private key");
            }
            return pair.getPrivateKeyInfo().getEncoded();
        }
    }
}
