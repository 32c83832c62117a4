package io.netserve.samples.client;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.udp.UdpServer;
import io.netserve.echo.udp.EchoHandler;
import io.netserve.samples.Run;
import io.netserve.test.UdpRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code udp-client} against the real UDP echo handler through the test kit's {@link UdpRelay},
 * which drops a seeded 20 % of the datagrams both ways: retrying, every datagram is answered;
 * without retries, the lost ones are reported.
 */
class UdpClientLossTest {

    private static final int DATAGRAMS = 50;

    private UdpServer echo;
    private UdpRelay relay;

    @BeforeEach
    void start() throws Exception {
        echo = UdpServer.start(ServerConfig.builder().ioThreads(1).build(), p -> p.addLast(EchoHandler.INSTANCE));
        relay = UdpRelay.to(echo.localAddress()).drop(0.2).seed(42).start();
    }

    @AfterEach
    void stop() {
        relay.close();
        echo.close();
    }

    private static String input() {
        StringBuilder lines = new StringBuilder();
        IntStream.range(0, DATAGRAMS).forEach(i -> lines.append("datagram ").append(i).append('\n'));
        return lines.toString();
    }

    @Test
    void withRetriesEveryDatagramIsAnswered() {
        Run run = Run.withInput(input(), "udp-client", "--port", String.valueOf(relay.address().getPort()),
                "--timeout", "300ms", "--retries", "10");

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(input());
        assertThat(relay.dropped()).isPositive();
    }

    @Test
    void withoutRetriesTheLostOnesAreReported() {
        Run run = Run.withInput(input(), "udp-client", "--port", String.valueOf(relay.address().getPort()),
                "--timeout", "300ms", "--retries", "0");

        List<String> answered = run.out().lines().toList();
        List<String> reported = run.err().lines().filter(l -> l.contains("no reply from")).toList();
        assertThat(run.status()).isEqualTo(1);
        assertThat(reported).isNotEmpty().allMatch(l -> l.endsWith("after 1 tries of 300 ms"));
        assertThat(answered.size() + reported.size()).isEqualTo(DATAGRAMS);
        assertThat(run.err()).endsWith("samples udp-client: lost " + reported.size() + " of " + DATAGRAMS + " replies\n");
        assertThat(relay.dropped()).isGreaterThanOrEqualTo(reported.size());
    }
}
