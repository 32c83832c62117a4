package io.netserve.test;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UdpTestClientTest {

    private static final Duration QUIET = Duration.ofMillis(200);

    private final UdpTestClient client = UdpTestClient.bind("127.0.0.1");
    private final DatagramSocket peer = peer();

    @AfterEach
    void close() {
        client.close();
        peer.close();
    }

    @Test
    void receivesAReplyWholeWithItsSender() throws Exception {
        client.send(new byte[] {1, 2, 3}, peerAddress());
        DatagramPacket request = new DatagramPacket(new byte[16], 16);
        peer.receive(request);
        assertThat(request.getLength()).isEqualTo(3);
        peer.send(new DatagramPacket(new byte[] {9, 8}, 2, request.getSocketAddress()));

        DatagramPacket reply = client.receive();

        assertThat(reply.getData()).containsExactly(9, 8);
        assertThat(reply.getSocketAddress()).isEqualTo(peerAddress());
    }

    @Test
    void exchangesText() throws Exception {
        Thread reflector = new Thread(() -> {
            try {
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                peer.receive(p);
                peer.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
            } catch (Exception ignored) {
                // the test fails on the missing reply
            }
        });
        reflector.start();

        assertThat(client.exchange("héllo", peerAddress())).isEqualTo("héllo");
        reflector.join(10_000);
    }

    @Test
    void countsUntilSilentAndAssertsSilence() throws Exception {
        client.assertSilent(QUIET);
        for (int i = 0; i < 3; i++) {
            peer.send(new DatagramPacket(new byte[] {(byte) i}, 1, new InetSocketAddress("127.0.0.1", client.localPort())));
        }
        assertThat(client.countUntilSilent(QUIET)).isEqualTo(3);

        peer.send(new DatagramPacket(new byte[1], 1, new InetSocketAddress("127.0.0.1", client.localPort())));
        assertThatThrownBy(() -> client.assertSilent(QUIET)).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("1 unexpected datagram(s)");
        assertThat(client.socket().getSoTimeout()).as("timeout restored").isEqualTo(10_000);
    }

    @Test
    void aHostThatCannotBeBoundSkipsTheTest() {
        assertThat(UdpTestClient.canBind("127.0.0.1")).isTrue();
        assertThat(UdpTestClient.canBind("192.0.2.1")).as("TEST-NET-1 is never local").isFalse();
        assertThatThrownBy(() -> UdpTestClient.bind("192.0.2.1")).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("192.0.2.1");
    }

    private InetSocketAddress peerAddress() {
        return (InetSocketAddress) peer.getLocalSocketAddress();
    }

    private static DatagramSocket peer() {
        try {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            s.setSoTimeout(10_000);
            return s;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
