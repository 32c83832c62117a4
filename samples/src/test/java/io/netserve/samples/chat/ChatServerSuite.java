package io.netserve.samples.chat;

import io.netserve.core.config.ServerConfig;
import io.netserve.test.ServerExtension;
import io.netserve.test.TestClient;
import io.netserve.core.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat server's behaviour over real loopback sockets, written once and run per transport. */
abstract class ChatServerSuite {

    static final int MAX_LINE = 128;

    private final ChatProtocol chat = new ChatProtocol(new ChatRoom(), MAX_LINE, Duration.ofMinutes(5));

    @RegisterExtension
    final ServerExtension server = ServerExtension.of(chat,
            chat.applyTo(ServerConfig.builder().transport(transport()).ioThreads(2)).build());

    abstract Transport transport();

    TestClient join(String nick) {
        TestClient client = server.newClient();
        client.sendLine("/nick " + nick);
        assertThat(client.readLine()).isEqualTo("* you are " + nick);
        return client;
    }

    @Test
    void runsOnTheTransportAskedFor() {
        assertThat(server.server().transport()).isEqualTo(transport());
    }

    @Test
    void membersChatThroughTheRoom() {
        TestClient ada = join("ada");
        TestClient bob = join("bob");
        assertThat(ada.readLine()).isEqualTo("* bob joined");

        ada.sendLine("hi bob");
        assertThat(bob.readLine()).isEqualTo("<ada> hi bob");
        assertThat(ada.readLine()).isEqualTo("<ada> hi bob");

        bob.sendLine("/who");
        assertThat(bob.readLine()).isEqualTo("* online: ada, bob");
    }

    @Test
    void quitClosesAndTellsTheOthers() {
        TestClient ada = join("ada");
        TestClient bob = join("bob");
        ada.readLine();
        bob.sendLine("/quit");
        assertThat(bob.readLine()).isEqualTo("* bye");
        assertThat(bob.readLine()).isNull();
        assertThat(ada.readLine()).isEqualTo("* bob left");
    }

    @Test
    void anOverLongLineGetsAnErrorLineAndClosesOnlyThatConnection() {
        TestClient ada = join("ada");
        TestClient bob = join("bob");
        ada.readLine();

        bob.sendLine("y".repeat(MAX_LINE * 3));
        assertThat(bob.readLine()).isEqualTo("! line too long: at most " + MAX_LINE + " bytes; closing");
        assertThat(bob.awaitClosed()).isEmpty();

        assertThat(ada.readLine()).isEqualTo("* bob left");
        ada.sendLine("y".repeat(MAX_LINE - "<ada> ".length()));
        assertThat(ada.readLine()).isEqualTo("<ada> " + "y".repeat(MAX_LINE - "<ada> ".length()));
    }

    @Test
    void anAbruptDisconnectMidLineIsALeave() {
        TestClient ada = join("ada");
        TestClient bob = join("bob");
        ada.readLine();

        bob.send("half a mess".getBytes(StandardCharsets.UTF_8));
        bob.abort();
        assertThat(ada.readLine()).isEqualTo("* bob left");

        TestClient bob2 = join("bob");
        assertThat(ada.readLine()).as("the nick was freed").isEqualTo("* bob joined");
        bob2.sendLine("back");
        assertThat(ada.readLine()).isEqualTo("<bob> back");
    }

    @Test
    void linesMayArriveInPiecesAndSeveralAtOnce() {
        TestClient ada = join("ada");
        ada.send("one\ntw");
        assertThat(ada.readLine()).isEqualTo("<ada> one");
        ada.send("o\r\nthree\n");
        assertThat(ada.readLines(2)).containsExactly("<ada> two", "<ada> three");
    }
}
