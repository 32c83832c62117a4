package io.netserve.samples.kv;

import io.netserve.core.config.ClientConfig;
import io.netserve.core.config.ServerConfig;
import io.netserve.test.ServerExtension;
import io.netserve.test.TestClient;
import io.netserve.core.Transport;
import io.netserve.test.LogCapture;
import io.netserve.samples.client.ClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.netserve.samples.kv.KvFrames.frame;
import static io.netserve.samples.kv.KvFrames.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The key-value server over real loopback sockets, bad inputs included, written once and run per transport. */
abstract class KvServerSuite {

    static final int MAX_FRAME = 256;

    private final KvProtocol kv = new KvProtocol(new KvStore(), MAX_FRAME);
    private final List<KvClient> clients = new ArrayList<>();

    @RegisterExtension
    final ServerExtension server = ServerExtension.of(kv, ServerConfig.builder().transport(transport()).build());

    abstract Transport transport();

    @AfterEach
    void closeClients() throws IOException {
        for (KvClient c : clients) {
            c.close();
        }
    }

    KvClient client() throws IOException {
        KvClient client = KvClient.connect(config(), MAX_FRAME);
        clients.add(client);
        return client;
    }

    private ClientConfig config() {
        return ClientConfig.builder("127.0.0.1", server.port()).transport(transport()).build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void runsOnTheTransportAskedFor() {
        assertThat(server.server().transport()).isEqualTo(transport());
    }

    @Test
    void setGetDelOverTheNetwork() throws Exception {
        KvClient client = client();
        assertThat(client.send(KvRequest.set("fruit", utf8("kiwi")))).isEqualTo(KvResponse.of(KvResponse.Status.OK));
        assertThat(client.send(KvRequest.get("fruit"))).isEqualTo(KvResponse.found(utf8("kiwi")));
        assertThat(client().send(KvRequest.get("fruit"))).as("another connection, the same store")
                .isEqualTo(KvResponse.found(utf8("kiwi")));
        assertThat(client.send(KvRequest.del("fruit"))).isEqualTo(KvResponse.of(KvResponse.Status.OK));
        assertThat(client.send(KvRequest.get("fruit"))).isEqualTo(KvResponse.of(KvResponse.Status.NOT_FOUND));
    }

    @Test
    void binaryValuesUpToTheMaximumFrameComeBackWhole() throws Exception {
        byte[] value = new byte[MAX_FRAME - 3 - 1];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        KvClient client = client();
        client.send(KvRequest.set("b", value));
        assertThat(client.send(KvRequest.get("b")).value()).isEqualTo(value);
    }

    @Test
    void aMalformedFrameClosesThatConnectionWithALoggedReasonAndTheServerGoesOn() throws Exception {
        KvClient bystander = client();
        bystander.send(KvRequest.set("k", utf8("v")));
        try (LogCapture log = LogCapture.of("io.netserve.core.input")) {
            TestClient bad = server.newClient();
            bad.send(frame(request('X', "k", "")));
            assertThat(bad.awaitClosed()).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines().isEmpty());
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("WARN closing connection").endsWith("malformed input: unknown operation 0x58");
            assertThat(log.anyStackTrace()).isFalse();
        }
        assertThat(bystander.send(KvRequest.get("k"))).isEqualTo(KvResponse.found(utf8("v")));
        assertThat(client().send(KvRequest.get("k"))).isEqualTo(KvResponse.found(utf8("v")));
    }

    @Test
    void anOversizeFrameClosesThatConnectionOnItsHeader() throws Exception {
        KvClient bystander = client();
        try (LogCapture log = LogCapture.of("io.netserve.core.input")) {
            TestClient big = server.newClient();
            big.send(KvFrames.lengthField(MAX_FRAME + 1));
            assertThat(big.awaitClosed()).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines().isEmpty());
            assertThat(log.lines()).singleElement().asString().contains("malformed input").contains("exceeds");
        }
        assertThat(bystander.send(KvRequest.get("nothing"))).isEqualTo(KvResponse.of(KvResponse.Status.NOT_FOUND));
    }

    @Test
    void anAbruptDisconnectMidFrameLeavesNothingBehind() throws Exception {
        byte[] whole = frame(request('S', "half", "written"));
        TestClient aborted = server.newClient();
        aborted.send(Arrays.copyOf(whole, whole.length - 3));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.metrics().bytesIn() >= whole.length - 3);
        aborted.abort();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.metrics().connectionsActive() == 0);

        TestClient halfClosed = server.newClient();
        halfClosed.send(Arrays.copyOf(whole, 6)).shutdownOutput();
        assertThat(halfClosed.awaitClosed()).isEmpty();

        assertThat(kv.store().size()).isZero();
        assertThat(client().send(KvRequest.get("half"))).isEqualTo(KvResponse.of(KvResponse.Status.NOT_FOUND));
    }

    @Test
    void theClientRefusesAReplyLongerThanItsMaximum() throws Exception {
        client().send(KvRequest.set("k", new byte[100]));
        try (KvClient small = KvClient.connect(config(), 50)) {
            assertThatThrownBy(() -> small.send(KvRequest.get("k")))
                    .isInstanceOf(ClientException.class).hasMessageEndingWith("sent a frame of 101 bytes, more than the maximum of 50");
        }
    }
}
