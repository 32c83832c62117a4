package io.netserve.core.internal.tls;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TlsFailureReason} on the exceptions each provider was seen to raise (JDK 17 and
 * BoringSSL through Netty 4.2), the way SslHandler hands them on.
 */
class TlsFailureReasonTest {

    @Test
    void timeoutAndNotTls() {
        assertThat(TlsFailureReason.of(new SslHandshakeTimeoutException("handshake timed out after 500ms"))).isEqualTo("timeout");
        assertThat(TlsFailureReason.of(new NotSslRecordException("not an SSL/TLS record: 474554"))).isEqualTo("not_tls");
        assertThat(TlsFailureReason.of(new DecoderException(new NotSslRecordException()))).isEqualTo("not_tls");
    }

    @Test
    void protocolVersion() {
        assertThat(reason("Client requested protocol TLSv1.1 is not enabled or supported in server context")).isEqualTo("protocol_version");
        assertThat(reason("error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL")).isEqualTo("protocol_version");
    }

    @Test
    void noClientCertificate() {
        assertThat(reason("Empty client certificate chain")).isEqualTo("no_client_certificate");
        assertThat(reason("error:100000c0:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE"))
                .isEqualTo("no_client_certificate");
    }

    @Test
    void badClientCertificate() {
        // JDK: the trust manager's exception is the cause; OpenSSL wraps the same one.
        SSLHandshakeException jdk = new SSLHandshakeException("PKIX path validation failed");
        jdk.initCause(new CertificateException("PKIX path validation failed", new CertPathValidatorException("signature check failed")));
        assertThat(TlsFailureReason.of(jdk)).isEqualTo("bad_client_certificate");
        SSLHandshakeException openssl = new SSLHandshakeException("General OpenSslEngine problem");
        openssl.initCause(new CertificateException("PKIX path validation failed"));
        assertThat(TlsFailureReason.of(new DecoderException(openssl))).isEqualTo("bad_client_certificate");
    }

    @Test
    void certificateRejectedByTheClient() {
        assertThat(reason("Received fatal alert: certificate_unknown")).isEqualTo("certificate_rejected");
        assertThat(reason("Received fatal alert: bad_certificate")).isEqualTo("certificate_rejected");
        assertThat(reason("error:10000416:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_UNKNOWN")).isEqualTo("certificate_rejected");
        assertThat(reason("error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA")).isEqualTo("certificate_rejected");
    }

    @Test
    void closed() {
        ClosedChannelException closed = new ClosedChannelException();
        closed.addSuppressed(new SSLHandshakeException("Connection closed while SSL/TLS handshake was in progress"));
        assertThat(TlsFailureReason.of(closed)).isEqualTo("closed");
        assertThat(TlsFailureReason.of(new IOException("Connection reset by peer"))).isEqualTo("closed");
    }

    @Test
    void otherKeepsADetail() {
        SSLException internalError = new SSLException("Received fatal alert: internal_error");
        assertThat(TlsFailureReason.of(new DecoderException(internalError))).isEqualTo("other");
        assertThat(TlsFailureReason.detail(new DecoderException(internalError)))
                .isEqualTo("SSLException: Received fatal alert: internal_error");
        assertThat(TlsFailureReason.detail(new SSLException("x".repeat(500)))).hasSize(203);
    }

    private static String reason(String message) {
        return TlsFailureReason.of(new DecoderException(new SSLHandshakeException(message)));
    }
}
