package io.netserve.samples.upper;

import io.netserve.core.config.ClientConfig;
import io.netserve.test.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpperClientTest {

    @RegisterExtension
    static final ServerExtension server = ServerExtension.of(new UpperProtocol());

    @Test
    void theReadmesClientGetsEveryReplyInOrder() throws Exception {
        ClientConfig config = ClientConfig.builder("127.0.0.1", server.port()).build();

        assertThat(UpperClient.shout(config, "hello", "pipelined", "requests"))
                .containsExactly("HELLO", "PIPELINED", "REQUESTS");
    }

    @Test
    void aServerThatIsNotThereIsAConnectException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ClientConfig config = ClientConfig.builder("127.0.0.1", port).build();

        assertThatThrownBy(() -> UpperClient.shout(config, "anyone?")).isInstanceOf(ConnectException.class);
    }
}
