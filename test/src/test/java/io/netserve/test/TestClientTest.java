package io.netserve.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TestClientTest {

    @RegisterExtension
    static final ServerExtension lines = ServerExtension.of(KitProtocols.lines());

    @RegisterExtension
    static final ServerExtension silent = ServerExtension.of(KitProtocols.silent());

    @Test
    void sendsAndReadsLinesAndBytes() {
        TestClient client = lines.newClient();
        client.sendLine("a").send("b\r\n").send("c\n".getBytes(StandardCharsets.UTF_8));
        assertThat(client.readLines(2)).containsExactly("echo:a", "echo:b");
        assertThat(client.readBytes(7)).isEqualTo("echo:c\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readLineIsNullOnceThePeerHasClosed() {
        TestClient client = lines.newClient();
        client.sendLine("quit");
        assertThat(client.readLine()).isEqualTo("bye");
        assertThat(client.readLine()).isNull();
    }

    @Test
    void readBytesFailsWhenThePeerClosesFirst() {
        TestClient client = lines.newClient();
        client.sendLine("quit");
        assertThatThrownBy(() -> client.readBytes(100)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("closed after 4");
    }

    @Test
    void awaitClosedReturnsWhatCameBeforeTheEnd() {
        TestClient client = lines.newClient();
        client.sendLine("quit");
        assertThat(new String(client.awaitClosed(), StandardCharsets.UTF_8)).isEqualTo("bye\n");
    }

    @Test
    void aReadThatGetsNothingTimesOutWithAClearFailure() {
        try (TestClient client = TestClient.connect(silent.address(), Duration.ofMillis(200))) {
            client.sendLine("anyone?");
            assertThatThrownBy(client::readLine).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("timed out after 200 ms waiting for a line");
            assertThatThrownBy(client::awaitClosed).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("waiting for the connection to close");
        }
    }

    @Test
    void halfClosingEndsTheServersInput() {
        TestClient client = lines.newClient();
        client.sendLine("last").shutdownOutput();
        assertThat(client.readLine()).isEqualTo("echo:last");
        assertThat(client.awaitClosed()).isEmpty();
    }

    @Test
    void abortResetsTheConnection() {
        TestClient client = silent.newClient();
        client.send("partial");
        await().atMost(Duration.ofSeconds(10)).until(() -> silent.metrics().bytesIn() >= 7);
        long active = silent.metrics().connectionsActive();
        client.abort();
        assertThat(client.socket().isClosed()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> silent.metrics().connectionsActive() == active - 1);
    }

    @Test
    void aRefusedConnectionSaysWhere() throws IOException {
        InetSocketAddress unused;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
        }
        assertThatThrownBy(() -> TestClient.connect(unused)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot connect to").hasMessageContaining(String.valueOf(unused.getPort()));
    }
}
