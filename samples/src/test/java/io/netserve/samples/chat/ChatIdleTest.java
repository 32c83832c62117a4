package io.netserve.samples.chat;

import io.netserve.core.config.ServerConfig;
import io.netserve.test.ServerExtension;
import io.netserve.test.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The chat's idle policy over real sockets and real time: warn on the first idle period, close on the second. */
class ChatIdleTest {

    private static final ChatProtocol chat = new ChatProtocol(new ChatRoom(), 512, Duration.ofMillis(400));

    @RegisterExtension
    static final ServerExtension server = ServerExtension.of(chat, chat.applyTo(ServerConfig.builder()).build());

    private static final String WARNING = "! idle for 400ms: say something within 400ms or be disconnected";

    @Test
    void aSilentMemberIsWarnedThenDisconnected() {
        TestClient ada = server.newClient();
        ada.sendLine("/nick ada");
        assertThat(ada.readLines(3)).containsExactly("* you are ada", WARNING, "* disconnected: idle");
        assertThat(ada.awaitClosed()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.metrics().idleClosed() == 1);
    }

    @Test
    void aMemberWhoAnswersTheWarningStays() {
        TestClient bob = server.newClient();
        bob.sendLine("/nick bob");
        assertThat(bob.readLines(2)).containsExactly("* you are bob", WARNING);
        bob.sendLine("still here");
        assertThat(bob.readLine()).isEqualTo("<bob> still here");
        assertThat(bob.readLine()).as("a fresh warning, not a close").isEqualTo(WARNING);
    }
}
