package io.netserve.core.internal.tls;

import io.netserve.core.internal.tls.TestPki.KeyFiles;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ServerSniHandler} on an {@link EmbeddedChannel} with a frozen clock: one deadline for the
 * whole handshake, however it is split between waiting for the ClientHello and the rest.
 */
class ServerSniHandlerTest {

    @TempDir
    static Path dir;
    static ServerTls tls;

    @BeforeAll
    static void load() throws TlsFileException {
        KeyFiles server = TestPki.writePair(dir, "server", TestPki.SERVER);
        tls = ServerTls.builder(server.cert(), server.key()).provider(SslProvider.JDK)
                .handshakeTimeout(Duration.ofMillis(1000)).build();
    }

    @Test
    void givesTheSslHandlerWhatIsLeftOfTheTimeout() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast("tls", tls.newHandler());
        channel.advanceTimeBy(300, TimeUnit.MILLISECONDS);

        channel.writeInbound(Unpooled.wrappedBuffer(clientHello()));

        SslHandler sslHandler = channel.pipeline().get(SslHandler.class);
        assertThat(channel.pipeline().get("tls")).as("the SslHandler keeps the name").isSameAs(sslHandler);
        assertThat(sslHandler.getHandshakeTimeoutMillis()).isEqualTo(700);
        channel.finishAndReleaseAll();
    }

    @Test
    void closesAPeerThatSendsNothing() {
        ServerMetrics metrics = new ServerMetrics();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast("tls", tls.newHandler()).addLast(new TlsHandshakeHandler(new ServerContext(metrics)));

        channel.advanceTimeBy(999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.tlsHandshakeFailuresByReason()).isEqualTo(Map.of("timeout", 1L));
        channel.finishAndReleaseAll();
    }

    /** A real ClientHello, from the JDK's client engine. */
    private static ByteBuffer clientHello() throws Exception {
        SSLEngine client = SSLContext.getDefault().createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), out);
        return out.flip();
    }
}
