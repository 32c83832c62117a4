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
                "kv-client", "tcp-client", "embed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kv-client", "tcp-client", "embed"})
    void eachClientCommandHasHelp(String command) {
        Run run = Run.of(command, "--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("Usage: samples " + command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"upper-server", "chat-server", "kv-server"})
    void eachServerCommandRunsThroughCoresLauncher(String command) {
        // ServiceLauncher prints to the process's standard output (checked by SamplesJarIT); here only the status.
        assertThat(Run.of(command, "--help").status()).isZero();
        assertThat(Run.of(command, "--no-such-option").status()).isEqualTo(2);
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
