package io.netserve.core.internal.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

import java.util.List;

/**
 * The choice of TLS implementation: OpenSSL (BoringSSL, through {@code netty-tcnative}) when its
 * native library loads, else the JDK's. The runnable jars ship the natives for Linux and macOS;
 * an embedder that adds none gets the JDK provider.
 */
public final class TlsProviders {

    /** TLS versions offered and accepted, newest first: nothing older than 1.2. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsProviders() {
    }

    /**
     * The provider to use for {@code requested}: {@code null} means OpenSSL if it loads, else the
     * JDK.
     *
     * @throws IllegalArgumentException if OpenSSL is requested and does not load, or for
     *         {@link SslProvider#OPENSSL_REFCNT}, whose contexts would have to be released by hand
     */
    public static SslProvider resolve(SslProvider requested) {
        if (requested == null) {
            return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        }
        return switch (requested) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalArgumentException("TLS provider openssl is unavailable ("
                            + describe(OpenSsl.unavailabilityCause()) + ")");
                }
                yield SslProvider.OPENSSL;
            }
            case OPENSSL_REFCNT -> throw new IllegalArgumentException("TLS provider OPENSSL_REFCNT is not supported; use OPENSSL");
        };
    }

    /** The provider's name as operators see it: {@code openssl} or {@code jdk}. */
    public static String cliName(SslProvider provider) {
        return provider == SslProvider.JDK ? "jdk" : "openssl";
    }

    /**
     * One line per provider, for {@code --version}: {@code openssl: available (BoringSSL)} or
     * {@code openssl: unavailable (<the native loader's reason>)}, then {@code jdk: available}.
     */
    public static String availabilityReport() {
        String openssl = OpenSsl.isAvailable()
                ? "available (" + OpenSsl.versionString() + ")"
                : "unavailable (" + describe(OpenSsl.unavailabilityCause()) + ")";
        return "openssl: " + openssl + System.lineSeparator() + "jdk: available" + System.lineSeparator();
    }

    /** The innermost message of a loader's cause, as one line. */
    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown reason";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replace('\n', ' ');
    }
}
