package io.netserve.cli;

import io.netserve.core.config.ServerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationTest {

    @Test
    void runsASetterThatAcceptsItsValue() {
        ServerConfig.Builder b = ServerConfig.builder();

        Validation.option("--port", () -> b.port(8080));

        assertThat(b.build().port()).isEqualTo(8080);
    }

    @Test
    void turnsARefusalIntoAnErrorNamingTheOption() {
        assertThatThrownBy(() -> Validation.option("--port", () -> ServerConfig.builder().port(70_000)))
                .isInstanceOf(Validation.InvalidOptionException.class)
                .hasMessage("Invalid value for option '--port': port must be between 0 and 65535, was 70000")
                .satisfies(e -> assertThat(e.getStackTrace()).as("an expected failure carries no stack").isEmpty());
    }

    @Test
    void aCombinationThatDoesNotFitIsAnErrorSayingWhy() {
        Validation.combination(true, "not thrown");

        assertThatThrownBy(() -> Validation.combination(false, "--tls-cert needs --tls-key"))
                .isInstanceOf(Validation.InvalidOptionException.class)
                .hasMessage("--tls-cert needs --tls-key");
    }

    @Test
    void letsOtherFailuresThrough() {
        IllegalStateException bug = new IllegalStateException("bug");

        assertThatThrownBy(() -> Validation.option("--port", () -> {
            throw bug;
        })).isSameAs(bug);
    }
}
