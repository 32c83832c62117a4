package com.example.shout;

import io.netserve.core.Protocol;
import io.netserve.test.BadPeer;
import io.netserve.test.ServerExtension;
import io.netserve.test.TestClient;
import io.netserve.test.UdpRelay;
import io.netserve.test.UdpServerExtension;
import io.netserve.test.UdpTestClient;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShoutServerTest {

    private static final Protocol UDP_ECHO = p -> p.addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            ctx.writeAndFlush(new DatagramPacket(packet.content(), packet.sender()));
        }
    });

    @RegisterExtension
    static final ServerExtension server = ServerExtension.of(new ShoutProtocol());

    @RegisterExtension
    static final UdpServerExtension udp = UdpServerExtension.of(UDP_ECHO);

    @Test
    void shoutsOverASocket() {
        TestClient client = server.newClient();
        client.sendLine("hello");
        assertEquals("HELLO!", client.readLine());
    }

    @Test
    void aHalfClosingPeerGetsItsAnswerThenTheEnd() {
        try (BadPeer.Peer peer = BadPeer.halfCloses("bye\n".getBytes(StandardCharsets.UTF_8)).play(server.address())) {
            assertNull(peer.awaitEnd(Duration.ofSeconds(20)));
            assertEquals("BYE!\n", new String(peer.received(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void datagramsThroughALossyRelay() {
        try (UdpRelay relay = UdpRelay.to(udp.address()).towardsServerOnly().drop(0.5).seed(3).start()) {
            UdpTestClient client = udp.newClient();
            for (int i = 0; i < 40; i++) {
                client.send(("d" + i).getBytes(StandardCharsets.UTF_8), relay.address());
            }
            // Every datagram is either dropped by the relay or answered; a busy machine may be slow to answer.
            int answered = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (answered + relay.dropped() < 40 && System.nanoTime() < deadline) {
                answered += client.countUntilSilent(Duration.ofMillis(200));
            }
            assertEquals(40 - relay.dropped(), answered);
            assertTrue(relay.dropped() > 0);
        }
    }
}
