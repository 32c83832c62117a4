package io.netserve.bench.load;

import java.util.Map;

/** One way of loading an echo server; a subcommand of {@link LoadGenerator} builds one from its options. */
interface Scenario {

    /** The subcommand's name, first in the results. */
    String name();

    /** Puts this scenario's own options into {@code options}, in the order they are reported. */
    void describe(Map<String, Object> options);

    /**
     * Connects, runs the run's measured window ({@link Run#measure()}) and closes everything again;
     * failures go to {@link Run#fail}, not out of this method.
     */
    void execute(Run run) throws InterruptedException;

    /** Puts figures of its own (beyond throughput, round trips and losses) into {@code results}, after {@link #execute}. */
    default void report(Map<String, Object> results) {
    }

    /** The unit of the throughput figure: messages unless a scenario says otherwise. */
    default String unit() {
        return "msgs";
    }
}
