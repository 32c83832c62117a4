package io.netserve.cli;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The registry behind a jar's admin endpoint: core binds the server's meters to it, and the
 * launcher adds what only it knows, the log events the console dropped
 * ({@code netserve_log_events_dropped_total}). Made only when {@code --admin-port} is given, so a
 * jar without one loads no Micrometer class.
 */
final class AdminRegistry {

    static final String LOG_EVENTS_DROPPED = "netserve.log.events.dropped";

    private AdminRegistry() {
    }

    static MeterRegistry create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FunctionCounter.builder(LOG_EVENTS_DROPPED, registry, r -> ConsoleLogConfigurator.droppedEvents())
                .description("Log events dropped because standard output was not read fast enough")
                .register(registry);
        return registry;
    }
}
