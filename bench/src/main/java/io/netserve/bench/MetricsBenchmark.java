package io.netserve.bench;

import io.netserve.core.metrics.ServerMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What counting costs: one server's counters ({@link ServerMetrics}, {@code LongAdder}s) updated
 * from one event loop, and from two at once as on a 2-core server, and read as a scrape reads them.
 *
 * <pre>
 * java -jar bench/target/netserve-bench.jar MetricsBenchmark
 * </pre>
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {

    private final ServerMetrics metrics = new ServerMetrics();

    /** One thread counts a message in and out. */
    @Benchmark
    @Group("oneLoop")
    @GroupThreads(1)
    public void countOneLoop() {
        metrics.recordBytesIn(64);
        metrics.recordBytesOut(64);
    }

    /** Two threads count at once. */
    @Benchmark
    @Group("twoLoops")
    @GroupThreads(2)
    public void countTwoLoops() {
        metrics.recordBytesIn(64);
        metrics.recordBytesOut(64);
    }

    /** A scrape's read of one counter. */
    @Benchmark
    @Group("read")
    @GroupThreads(1)
    public long read() {
        return metrics.bytesIn();
    }
}
