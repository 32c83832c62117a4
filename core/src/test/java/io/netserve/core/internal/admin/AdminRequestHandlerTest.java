package io.netserve.core.internal.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The request-target parsing of {@link AdminRequestHandler}; its answers are tested end to end in {@link AdminServerTest}. */
class AdminRequestHandlerTest {

    @Test
    void thePathIsTheTargetWithoutItsQueryOrFragment() {
        assertThat(AdminRequestHandler.path("/metrics")).isEqualTo("/metrics");
        assertThat(AdminRequestHandler.path("/metrics?name[]=a&b")).isEqualTo("/metrics");
        assertThat(AdminRequestHandler.path("/health/live#top")).isEqualTo("/health/live");
        assertThat(AdminRequestHandler.path("/health/live?a#b?c")).isEqualTo("/health/live");
        assertThat(AdminRequestHandler.path("")).isEmpty();
        assertThat(AdminRequestHandler.path("*")).isEqualTo("*");
    }

    @Test
    void anAbsoluteFormTargetLosesItsSchemeAndAuthority() {
        assertThat(AdminRequestHandler.path("http://localhost:9090/metrics?x")).isEqualTo("/metrics");
        assertThat(AdminRequestHandler.path("http://[::1]:9090/health/ready")).isEqualTo("/health/ready");
        assertThat(AdminRequestHandler.path("http://localhost")).isEqualTo("/");
    }
}
