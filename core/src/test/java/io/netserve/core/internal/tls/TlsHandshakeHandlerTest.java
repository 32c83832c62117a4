package io.netserve.core.internal.tls;

import io.netserve.test.LogCapture;
import ch.qos.logback.classic.Level;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TlsHandshakeHandler} driven by hand-made events on an {@link EmbeddedChannel}. */
class TlsHandshakeHandlerTest {

    private final ServerMetrics metrics = new ServerMetrics();
    private final Recorder after = new Recorder();
    private final EmbeddedChannel channel = new EmbeddedChannel(new TlsHandshakeHandler(new ServerContext(metrics)), after);
    private final LogCapture logs = LogCapture.of("io.netserve.core.tls");

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        logs.close();
    }

    @Test
    void countsLogsAndClosesAFailedHandshakeOnce() {
        // An embedded channel closes at once; on a socket the pipeline outlives the close a while.
        CloseRecorder closes = new CloseRecorder();
        channel.pipeline().addFirst(closes);
        SSLHandshakeException cause = new SSLHandshakeException("Empty client certificate chain");
        channel.pipeline().fireUserEventTriggered(new SniCompletionEvent("db.example.com"));
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(cause));
        // SslHandler then throws the same failure through the pipeline: consumed, not counted again.
        channel.pipeline().fireExceptionCaught(new DecoderException(cause));

        channel.checkException();
        assertThat(closes.count).isEqualTo(1);
        assertThat(metrics.tlsHandshakeFailuresByReason()).isEqualTo(Map.of("no_client_certificate", 1L));
        assertThat(logs.messages(Level.INFO)).containsExactly(
                "TLS handshake with embedded failed: no_client_certificate, SNI db.example.com");
        assertThat(logs.anyStackTrace()).isFalse();
        assertThat(after.exceptions).isEmpty();
        assertThat(after.events).hasSize(2);
    }

    @Test
    void countsATimeoutBeforeTheClientHello() {
        // AbstractSniHandler fires only this when no ClientHello came in time.
        channel.pipeline().fireUserEventTriggered(new SniCompletionEvent(new SslHandshakeTimeoutException("timed out")));
        assertThat(metrics.tlsHandshakeFailuresByReason()).isEqualTo(Map.of("timeout", 1L));
        assertThat(logs.messages(Level.INFO)).containsExactly("TLS handshake with embedded failed: timeout");
    }

    @Test
    void anExceptionDuringTheHandshakeIsItsFailure() {
        channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        channel.checkException();
        assertThat(metrics.tlsHandshakeFailuresByReason()).isEqualTo(Map.of("closed", 1L));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void stepsAsideAfterASuccessfulHandshake() {
        channel.pipeline().fireUserEventTriggered(new SniCompletionEvent("localhost"));
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);

        assertThat(channel.pipeline().get(TlsHandshakeHandler.class)).isNull();
        assertThat(after.events).last().isSameAs(SslHandshakeCompletionEvent.SUCCESS);
        assertThat(channel.isOpen()).isTrue();
        assertThat(metrics.tlsHandshakeFailures()).isZero();
        assertThat(logs.messages(Level.INFO)).isEmpty();

        // The protocol's own exceptions are not this handler's business any more.
        channel.pipeline().fireExceptionCaught(new IllegalStateException("protocol bug"));
        assertThat(after.exceptions).hasSize(1);
    }

    @Test
    void logsOtherWithItsDetailAndAPrintableName() {
        channel.pipeline().fireUserEventTriggered(new SniCompletionEvent("evil\nname"));
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(
                new SSLHandshakeException("no cipher suites in common")));
        assertThat(logs.messages(Level.INFO)).containsExactly(
                "TLS handshake with embedded failed: other (SSLHandshakeException: no cipher suites in common), SNI evil?name");
    }

    @Test
    void moreFailuresWithinASecondAreSummarizedNotLoggedOneByOne() {
        ServerContext shared = new ServerContext(metrics);
        EmbeddedChannel first = new EmbeddedChannel(new TlsHandshakeHandler(shared));
        EmbeddedChannel second = new EmbeddedChannel(new TlsHandshakeHandler(shared));
        try {
            first.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("Empty client certificate chain")));
            second.pipeline().fireUserEventTriggered(new SniCompletionEvent(new SslHandshakeTimeoutException("timed out")));
            assertThat(logs.messages(Level.INFO)).containsExactly("TLS handshake with embedded failed: no_client_certificate");

            second.advanceTimeBy(1, TimeUnit.SECONDS);
            second.runScheduledPendingTasks();

            assertThat(logs.messages(Level.INFO)).containsExactly("TLS handshake with embedded failed: no_client_certificate",
                    "1 more failed TLS handshakes in the last second");
            assertThat(metrics.tlsHandshakeFailuresByReason()).isEqualTo(Map.of("no_client_certificate", 1L, "timeout", 1L));
        } finally {
            first.finishAndReleaseAll();
            second.finishAndReleaseAll();
        }
    }

    @Test
    void boundsTheLoggedName() {
        assertThat(TlsHandshakeHandler.printable("a".repeat(1000))).hasSize(253);
    }

    /** Counts close requests and keeps the channel open. */
    private static final class CloseRecorder extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            count++;
            promise.setSuccess();
        }
    }

    /** Records what passes the handler. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final List<Throwable> exceptions = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            exceptions.add(cause);
        }
    }
}
