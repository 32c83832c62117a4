package io.netserve.cli;

import io.netserve.core.config.Durations;
import io.netserve.core.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultsTest {

    @Command(name = "svc", mixinStandardHelpOptions = true)
    static final class Svc {
        @Mixin
        CommonOptions common;
        @Mixin
        IdleTimeoutOption idle;
        @Mixin
        TcpOptions limits;
        @Mixin
        UdpGuardOptions guards;
        @Option(names = "--session-timeout", defaultValue = "60s", converter = Converters.DurationConverter.class)
        Duration own;
    }

    @Test
    void sharedOptionsDefaultToTheConfigurationsConstants() {
        Svc svc = new Svc();
        ServiceLauncher.commandLine(svc).parseArgs();

        ServerConfig c = svc.guards.applyTo(svc.limits.applyTo(svc.idle.applyTo(svc.common.toBuilder()))).build();

        assertThat(c.host()).isEqualTo(ServerConfig.DEFAULT_HOST);
        assertThat(c.port()).isEqualTo(Defaults.PORT);
        assertThat(c.shutdownTimeout()).isEqualTo(ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(c.allIdleTimeout()).isEqualTo(ServerConfig.DEFAULT_IDLE_TIMEOUT);
        assertThat(c.maxConnections()).isEqualTo(ServerConfig.DEFAULT_MAX_CONNECTIONS);
        assertThat(c.writeStallTimeout()).isEqualTo(ServerConfig.DEFAULT_WRITE_STALL_TIMEOUT);
        assertThat(c.rateLimitPerSecond()).isEqualTo(ServerConfig.DEFAULT_RATE_LIMIT_PER_SECOND);
        assertThat(svc.own).as("an option's own default stays").isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void helpShowsTheSameDefaults() {
        StringWriter help = new StringWriter();
        CommandLine cli = ServiceLauncher.commandLine(new Svc());
        cli.getCommandSpec().usageMessage().width(200);
        cli.usage(new PrintWriter(help));

        assertThat(help.toString())
                .contains("Default: " + Durations.format(ServerConfig.DEFAULT_IDLE_TIMEOUT) + ".")
                .contains("Default: " + ServerConfig.DEFAULT_MAX_CONNECTIONS + ".")
                .contains("Default: " + Defaults.PORT + ".")
                .contains("Default: " + ServerConfig.DEFAULT_HOST + ".");
    }
}
