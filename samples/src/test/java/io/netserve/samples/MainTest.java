package io.netserve.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void helpListsEveryCommand() {
        Run run = Run.of("--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Usage: samples").contains("upper-server", "chat-server", "kv-server",
                "kv-client", "tcp-client", "udp-counter-server", "udp-client", "embed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kv-client", "tcp-client", "udp-client", "embed"})
    void eachClientCommandHasHelp(String command) {
        Run run = Run.of(command, "--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("Usage: samples " + command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"upper-server", "chat-server", "kv-server", "udp-counter-server"})
    void eachServerCommandRunsThroughCoresLauncher(String command) {
        Run help = Run.of(command, "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("Usage: samples " + command).contains("--transport");
        Run bad = Run.of(command, "--no-such-option");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("samples " + command + ": Unknown option: '--no-such-option'\n"
                + "Try 'samples " + command + " --help' for more information.\n");
    }

    @Test
    void versionSaysWhichTransportsLoad() {
        Run run = Run.of("--version");
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("samples ").contains("transports:").contains("nio");
    }

    @Test
    void noCommandIsABadCommandLine() {
        Run run = Run.of();
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("samples: missing command\n").contains("Commands:");
    }

    @Test
    void anUnknownCommandIsABadCommandLine() {
        Run run = Run.of("ftp-server");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("samples: Unmatched argument at index 0: 'ftp-server'\n"
                + "Try 'samples --help' for more information.\n");
    }
}
