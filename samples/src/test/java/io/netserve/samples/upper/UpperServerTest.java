package io.netserve.samples.upper;

import io.netserve.test.ServerExtension;
import io.netserve.test.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class UpperServerTest {

    @RegisterExtension
    static final ServerExtension server = ServerExtension.of(new UpperProtocol());

    @Test
    void answersOverARealSocket() {
        TestClient client = server.newClient();
        client.sendLine("hello, world").sendLine("netserve");
        assertThat(client.readLines(2)).containsExactly("HELLO, WORLD", "NETSERVE");
    }

    @Test
    void anOverLongLineClosesOnlyThatConnection() {
        TestClient bystander = server.newClient();
        TestClient offender = server.newClient();
        offender.send("x".repeat(UpperProtocol.MAX_LINE + 100));
        assertThat(offender.awaitClosed()).isEmpty();

        bystander.sendLine("still here");
        assertThat(bystander.readLine()).isEqualTo("STILL HERE");
    }

    @Test
    void anAbruptDisconnectMidLineLeavesTheServerServing() {
        TestClient aborted = server.newClient();
        long before = server.metrics().connectionsTotal();
        aborted.send("half a li");
        aborted.abort();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.metrics().connectionsActive() == 0);

        TestClient next = server.newClient();
        next.sendLine("next");
        assertThat(next.readLine()).isEqualTo("NEXT");
        assertThat(server.metrics().connectionsTotal()).isGreaterThan(before);
    }
}
