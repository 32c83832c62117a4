package io.netserve.test;

import io.netserve.core.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BadPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ServerExtension server = ServerExtension.of(KitProtocols.lines());

    @RegisterExtension
    final ServerExtension echo = ServerExtension.of(KitProtocols.echo(),
            ServerConfig.builder().writeStallTimeout(Duration.ofMillis(300)).build());

    @RegisterExtension
    final ServerExtension silent = ServerExtension.of(KitProtocols.silent());

    @Test
    void aPeerThatStopsReadingIsClosedByTheWriteStallTimeout() {
        try (BadPeer.Peer peer = BadPeer.stopsReading().play(echo.address())) {
            await().atMost(WAIT).until(() -> echo.metrics().stallClosed() == 1);
            assertThat(peer.awaitEnd(WAIT)).isInstanceOf(IOException.class);
            assertThat(peer.written()).isLessThan(BadPeer.MORE_THAN_SOCKET_BUFFERS);
        }
    }

    @Test
    void aTricklingPeerGetsEveryAnswerAtItsOwnPace() {
        byte[] request = "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8);
        try (BadPeer.Peer peer = BadPeer.trickles(request, 1, Duration.ofMillis(5)).play(server.address())) {
            assertThat(peer.awaitEnd(WAIT)).isNull();
            await().atMost(WAIT).until(() -> new String(peer.received(), StandardCharsets.UTF_8)
                    .equals("echo:one\necho:two\necho:three\n"));
            assertThat(peer.written()).isEqualTo(request.length);
        }
    }

    @Test
    void aHalfClosingPeerSeesTheEndOfStream() {
        try (BadPeer.Peer peer = BadPeer.halfCloses("quit\n".getBytes(StandardCharsets.UTF_8)).play(server.address())) {
            assertThat(peer.awaitEnd(WAIT)).isNull();
            assertThat(new String(peer.received(), StandardCharsets.UTF_8)).isEqualTo("bye\n");
        }
    }

    @Test
    void aResettingPeerLeavesTheServerServingOthers() {
        try (BadPeer.Peer peer = BadPeer.resetsAfter(new byte[100_000]).play(silent.address())) {
            assertThat(peer.awaitEnd(WAIT)).isNull();
        }
        await().atMost(WAIT).until(() -> silent.metrics().connectionsActive() == 0);
        TestClient client = server.newClient();
        client.sendLine("still");
        assertThat(client.readLine()).isEqualTo("echo:still");
    }
}
