package io.netserve.echo.udp;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.Transport;
import org.junit.jupiter.api.Test;
import io.netserve.cli.ServiceLauncher;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainTest {

    @Test
    void defaultsAreTheContracts() {
        ServerConfig config = parse().config();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(65432);
        assertThat(config.transport()).isEqualTo(Transport.AUTO);
        assertThat(config.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxDatagramSize()).isEqualTo(65_507);
        assertThat(config.rateLimitPerSecond()).isZero();
        assertThat(config.allowPrivilegedSourcePorts()).isFalse();
    }

    @Test
    void mapsEveryOption() {
        ServerConfig config = parse("--host", "::1", "--port", "0", "--transport", "nio", "--io-threads", "3",
                "--shutdown-timeout", "250ms", "--max-datagram-size", "1400", "--rate-limit", "100",
                "--allow-privileged-source-ports").config();

        assertThat(config.host()).isEqualTo("::1");
        assertThat(config.port()).isZero();
        assertThat(config.transport()).isEqualTo(Transport.NIO);
        assertThat(config.ioThreads()).isEqualTo(3);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.maxDatagramSize()).isEqualTo(1400);
        assertThat(config.rateLimitPerSecond()).isEqualTo(100);
        assertThat(config.allowPrivilegedSourcePorts()).isTrue();
    }

    @Test
    void namesTheOptionOutOfRange() {
        assertThatThrownBy(() -> parse("--max-datagram-size", "0").config())
                .hasMessage("Invalid value for option '--max-datagram-size': "
                        + "maxDatagramSize must be between 1 and 65507, was 0");
        assertThatThrownBy(() -> parse("--max-datagram-size", "65508").config())
                .hasMessage("Invalid value for option '--max-datagram-size': "
                        + "maxDatagramSize must be between 1 and 65507, was 65508");
        assertThatThrownBy(() -> parse("--rate-limit", "-1").config())
                .hasMessage("Invalid value for option '--rate-limit': "
                        + "rateLimitPerSecond must be between 0 and 10000000, was -1");
    }

    private static Main parse(String... args) {
        Main main = new Main();
        ServiceLauncher.commandLine(main).parseArgs(args);
        return main;
    }
}
