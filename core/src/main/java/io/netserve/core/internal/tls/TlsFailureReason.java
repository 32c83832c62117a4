package io.netserve.core.internal.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Locale;

/**
 * Names why a server-side handshake failed with one label of a small fixed set, the same for the
 * JDK and OpenSSL providers, so failures can be counted by reason. The labels, and what each
 * provider says that leads to it (as observed with Netty 4.2 and BoringSSL):
 *
 * <ul>
 *   <li>{@code timeout}: no complete handshake within the timeout (a silent client).</li>
 *   <li>{@code not_tls}: the first bytes were not a TLS record (plaintext, HTTP).</li>
 *   <li>{@code protocol_version}: the client offers only versions older than TLS 1.2 (JDK
 *       "Client requested protocol TLSv1.1 is not enabled", BoringSSL {@code UNSUPPORTED_PROTOCOL}).</li>
 *   <li>{@code no_client_certificate}: a client certificate is required and none came (JDK "Empty
 *       client certificate chain", BoringSSL {@code PEER_DID_NOT_RETURN_A_CERTIFICATE}).</li>
 *   <li>{@code bad_client_certificate}: the client's certificate does not verify against the
 *       client CA bundle (a {@link CertificateException} from the trust manager).</li>
 *   <li>{@code certificate_rejected}: the client rejected this server's certificate with an alert
 *       ({@code certificate_unknown}, {@code bad_certificate}, {@code unknown_ca}, ...).</li>
 *   <li>{@code closed}: the peer closed or reset the connection during the handshake.</li>
 *   <li>{@code other}: anything else, for example no cipher in common, or the {@code internal_error}
 *       alert Netty's OpenSSL client sends when it rejects a certificate.</li>
 * </ul>
 *
 * <p>Public for {@link #ALL}, from which the metrics binding makes one series per label.
 */
public final class TlsFailureReason {

    static final String TIMEOUT = "timeout";
    static final String NOT_TLS = "not_tls";
    static final String PROTOCOL_VERSION = "protocol_version";
    static final String NO_CLIENT_CERTIFICATE = "no_client_certificate";
    static final String BAD_CLIENT_CERTIFICATE = "bad_client_certificate";
    static final String CERTIFICATE_REJECTED = "certificate_rejected";
    static final String CLOSED = "closed";
    static final String OTHER = "other";

    /** Every label {@link #of(Throwable)} gives, in the order above: a metric has a series for each. */
    public static final List<String> ALL = List.of(TIMEOUT, NOT_TLS, PROTOCOL_VERSION, NO_CLIENT_CERTIFICATE,
            BAD_CLIENT_CERTIFICATE, CERTIFICATE_REJECTED, CLOSED, OTHER);

    private static final List<String> NO_CERTIFICATE_TEXTS = List.of(
            "empty client certificate chain", "peer_did_not_return_a_certificate", "certificate_required");
    private static final List<String> PROTOCOL_TEXTS = List.of(
            "protocol_version", "unsupported_protocol", "requested protocol", "protocol versions");
    private static final List<String> CERTIFICATE_ALERTS = List.of("bad_certificate", "unsupported_certificate",
            "certificate_revoked", "certificate_expired", "certificate_unknown", "unknown_ca");

    private TlsFailureReason() {
    }

    /** The label for a handshake that failed with {@code cause}. */
    static String of(Throwable cause) {
        boolean ssl = false;
        for (Throwable t = cause; t != null; t = next(t)) {
            if (t instanceof SslHandshakeTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof NotSslRecordException) {
                return NOT_TLS;
            }
            if (t instanceof CertificateException || t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException) {
                return BAD_CLIENT_CERTIFICATE;
            }
            ssl |= t instanceof SSLException;
        }
        String text = text(cause);
        if (containsAny(text, NO_CERTIFICATE_TEXTS)) {
            return NO_CLIENT_CERTIFICATE;
        }
        if (containsAny(text, PROTOCOL_TEXTS)) {
            return PROTOCOL_VERSION;
        }
        if (text.contains("alert") && containsAny(text, CERTIFICATE_ALERTS)) {
            return CERTIFICATE_REJECTED;
        }
        if (text.contains("certificate_verify_failed")) {
            return BAD_CLIENT_CERTIFICATE;
        }
        // SSLException is an IOException too; a plain one is the transport: closed or reset.
        if (!ssl && cause instanceof IOException || text.contains("connection closed while ssl/tls handshake")) {
            return CLOSED;
        }
        return OTHER;
    }

    /** The innermost cause as {@code Class: message}, one line, bounded, for the {@code other} case. */
    static String detail(Throwable cause) {
        Throwable root = cause;
        while (next(root) != null) {
            root = next(root);
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().replace('\n', ' ');
        String detail = root.getClass().getSimpleName() + message;
        return detail.length() > 200 ? detail.substring(0, 200) + "..." : detail;
    }

    /** Every message of the cause chain and of its suppressed exceptions, lower case. */
    private static String text(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = cause; t != null; t = next(t)) {
            sb.append(t.getMessage()).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                sb.append(suppressed.getMessage()).append('\n');
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean containsAny(String text, List<String> needles) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }
}
