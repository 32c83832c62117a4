package io.netserve.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JMH benchmark of this module sets up, runs once with each of its parameters and tears
 * down without an error or a leaked buffer: a benchmark that no longer starts is found by the
 * build, not by the next person who measures. Nothing here is timed.
 */
class BenchmarksRunTest {

    @Test
    void everyBenchmarkRunsOnceWithEachOfItsParameters() throws RunnerException {
        Options options = new OptionsBuilder()
                .include("io\\.netserve\\.bench\\.[A-Za-z]+Benchmark\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementBatchSize(1)
                .mode(Mode.SingleShotTime)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Set<String> classes = results.stream()
                .map(r -> r.getParams().getBenchmark().replaceAll("\\.[^.]+$", ""))
                .collect(Collectors.toSet());
        assertThat(classes).containsExactlyInAnyOrder("io.netserve.bench.PipelineBenchmark",
                "io.netserve.bench.UdpPipelineBenchmark", "io.netserve.bench.HandlerBenchmark",
                "io.netserve.bench.MetricsBenchmark");
        assertThat(results).as("one result per benchmark and parameter set").hasSizeGreaterThanOrEqualTo(19);
    }
}
