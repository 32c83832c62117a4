package io.netserve.samples.embed;

import io.netserve.core.config.ClientConfig;
import io.netserve.test.UdpTestClient;
import io.netserve.samples.Run;
import io.netserve.samples.kv.KvClient;
import io.netserve.samples.kv.KvRequest;
import io.netserve.samples.kv.KvResponse;
import org.junit.jupiter.api.Test;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbedCommandTest {

    private static final Pattern STARTED = Pattern.compile(
            "kv service started: tcp 127\\.0\\.0\\.1:(\\d+), udp 127\\.0\\.0\\.1:(\\d+)\n");

    @Test
    void servesUntilEnterThenStops() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        Run.Running running = Run.start(stdin, "embed");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> STARTED.matcher(running.out()).find());
            Matcher started = STARTED.matcher(running.out());
            assertThat(started.find()).isTrue();
            int port = Integer.parseInt(started.group(1));
            InetSocketAddress udp = new InetSocketAddress("127.0.0.1", Integer.parseInt(started.group(2)));
            try (UdpTestClient peer = UdpTestClient.bind("127.0.0.1")) {
                assertThat(peer.exchange("ping", udp)).isEqualTo("1 ping");
            }
            try (KvClient kv = KvClient.connect(ClientConfig.builder("127.0.0.1", port).build(), 1024)) {
                assertThat(kv.send(KvRequest.set("k", new byte[] {1}))).isEqualTo(KvResponse.of(KvResponse.Status.OK));
            }
            keyboard.write('\n');
            keyboard.flush();
            Run run = running.await(Duration.ofSeconds(30));
            assertThat(run.status()).isZero();
            assertThat(run.out()).matches(STARTED.pattern() + "kv service stopped\n");
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            new DatagramSocket(udp).close(); // the UDP port is free again
        } finally {
            keyboard.close();
            running.await(Duration.ofSeconds(30));
        }
    }

    @Test
    void theEndOfStandardInputStopsItToo() {
        Run run = Run.of("embed");
        assertThat(run.status()).isZero();
        assertThat(run.out()).containsPattern(STARTED).endsWith("kv service stopped\n");
    }

    @Test
    void aHostThatCannotBeBoundIsStatusOne() {
        Run run = Run.of("embed", "--host", "no-such-host.invalid");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("samples embed: cannot resolve host 'no-such-host.invalid': unknown host\n");
    }
}
