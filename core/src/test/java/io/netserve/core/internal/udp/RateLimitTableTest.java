package io.netserve.core.internal.udp;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.netserve.core.internal.udp.RateLimitTable.ACCEPTED;
import static io.netserve.core.internal.udp.RateLimitTable.OVER_RATE;
import static io.netserve.core.internal.udp.RateLimitTable.TABLE_FULL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitTableTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long T0 = 123_456_789L;

    @Test
    void allowsABurstOfTheRateThenOneDatagramPerInterval() {
        RateLimitTable table = new RateLimitTable(10, 100, new Random(1));
        InetAddress a = ipv4(1);

        for (int i = 0; i < 10; i++) {
            assertThat(table.tryAcquire(a, T0)).as("datagram %d of the burst", i).isEqualTo(ACCEPTED);
        }
        assertThat(table.tryAcquire(a, T0)).isEqualTo(OVER_RATE);
        assertThat(table.tryAcquire(a, T0 + SECOND / 10 - 1)).isEqualTo(OVER_RATE);
        assertThat(table.tryAcquire(a, T0 + SECOND / 10)).isEqualTo(ACCEPTED);
        assertThat(table.tryAcquire(a, T0 + SECOND / 10)).isEqualTo(OVER_RATE);
    }

    @Test
    void refusedDatagramsDoNotDelayTheNextOne() {
        RateLimitTable table = new RateLimitTable(1, 100, new Random(1));
        InetAddress a = ipv4(1);
        assertThat(table.tryAcquire(a, T0)).isEqualTo(ACCEPTED);

        for (int i = 1; i < 1000; i++) {
            assertThat(table.tryAcquire(a, T0 + i * 1000L)).isEqualTo(OVER_RATE);
        }

        assertThat(table.tryAcquire(a, T0 + SECOND)).isEqualTo(ACCEPTED);
    }

    @Test
    void aFullBucketAfterIdlenessAllowsTheWholeBurstAgain() {
        RateLimitTable table = new RateLimitTable(5, 100, new Random(1));
        InetAddress a = ipv4(1);
        for (int i = 0; i < 5; i++) {
            table.tryAcquire(a, T0);
        }

        long later = T0 + 10 * SECOND;
        for (int i = 0; i < 5; i++) {
            assertThat(table.tryAcquire(a, later)).isEqualTo(ACCEPTED);
        }
        assertThat(table.tryAcquire(a, later)).isEqualTo(OVER_RATE);
    }

    @Test
    void sourcesHaveTheirOwnBuckets() throws UnknownHostException {
        RateLimitTable table = new RateLimitTable(1, 100, new Random(1));
        InetAddress v6a = InetAddress.getByName("2001:db8::1");
        InetAddress v6b = InetAddress.getByName("2001:db8::2");
        InetAddress v6c = InetAddress.getByName("2001:db9::1");

        for (InetAddress source : List.of(ipv4(1), ipv4(2), v6a, v6b, v6c, InetAddress.getByName("::1"))) {
            assertThat(table.tryAcquire(source, T0)).as("first from %s", source).isEqualTo(ACCEPTED);
        }
        for (InetAddress source : List.of(ipv4(1), ipv4(2), v6a, v6b, v6c)) {
            assertThat(table.tryAcquire(source, T0)).as("second from %s", source).isEqualTo(OVER_RATE);
        }
        assertThat(table.size()).isEqualTo(6);
    }

    @Test
    void refusesNewSourcesWhileFullOfLiveOnesAndReclaimsExpiredEntries() {
        RateLimitTable table = new RateLimitTable(1, 256, new Random(1));
        for (int i = 0; i < 256; i++) {
            assertThat(table.tryAcquire(ipv4(i), T0)).isEqualTo(ACCEPTED);
        }

        assertThat(table.tryAcquire(ipv4(1000), T0 + SECOND / 2)).isEqualTo(TABLE_FULL);
        assertThat(table.tryAcquire(ipv4(5), T0 + SECOND / 2)).as("a known source keeps its bucket").isEqualTo(OVER_RATE);
        assertThat(table.size()).isEqualTo(256);

        long later = T0 + SECOND;
        for (int i = 1000; i < 1256; i++) {
            assertThat(table.tryAcquire(ipv4(i), later)).as("new source %d", i).isEqualTo(ACCEPTED);
        }
        assertThat(table.size()).isEqualTo(256);
        assertThat(table.tryAcquire(ipv4(5000), later)).isEqualTo(TABLE_FULL);
    }

    @Test
    void agreesWithASimpleModelThroughHeavyChurn() {
        // Sources come and go across thousands of windows, so entries are removed and moved all the
        // time; every verdict must match a plain map of buckets.
        long interval = SECOND / 3;
        RateLimitTable table = new RateLimitTable(3, 4096, new Random(7));
        Map<InetAddress, Long> model = new HashMap<>();
        Random random = new Random(42);
        long now = T0;
        int overRate = 0;
        for (int step = 0; step < 200_000; step++) {
            now += random.nextInt(20_000_000);
            InetAddress source = random.nextBoolean() ? ipv4(random.nextInt(5)) : ipv4(100 + random.nextInt(3000));
            long tat = Math.max(model.getOrDefault(source, now), now);
            int expected = tat + interval - now > 3 * interval ? OVER_RATE : ACCEPTED;
            if (expected == ACCEPTED) {
                model.put(source, tat + interval);
            }
            overRate += expected == OVER_RATE ? 1 : 0;

            assertThat(table.tryAcquire(source, now)).as("step %d, source %s", step, source).isEqualTo(expected);
        }
        assertThat(overRate).as("the hot sources were limited").isGreaterThan(10_000);
        assertThat(table.size()).isLessThanOrEqualTo(4096);
    }

    @Test
    void boundedMemoryAfterAMillionDistinctSources() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedHeapAfterGc(memory);
        RateLimitTable table = new RateLimitTable(1, 65_536, new Random(3));
        long footprint = table.footprintBytes();
        long afterCreate = usedHeapAfterGc(memory);

        int accepted = 0;
        int refused = 0;
        long now = T0;
        for (int i = 0; i < 1_000_000; i++) {
            now += 500; // 1,000,000 sources in half a second: all still inside their window
            int verdict = table.tryAcquire(ipv4(i), now);
            accepted += verdict == ACCEPTED ? 1 : 0;
            refused += verdict == TABLE_FULL ? 1 : 0;
        }
        long afterFill = usedHeapAfterGc(memory);

        assertThat(accepted).isEqualTo(65_536);
        assertThat(refused).isEqualTo(1_000_000 - 65_536);
        assertThat(table.size()).isEqualTo(65_536);
        assertThat(table.footprintBytes()).isEqualTo(footprint);
        long measured = afterFill - before;
        System.out.printf("rate-limit table, maxSources 65,536, after 1,000,000 distinct sources: footprint %,d bytes"
                        + " (%.1f bytes per source of capacity), heap growth %,d bytes after creating, %,d after"
                        + " the million%n", footprint, footprint / 65_536.0, afterCreate - before, measured);
        assertThat(footprint / 65_536.0).isLessThan(24);
        assertThat(measured).isLessThan(footprint + (1 << 20));
    }

    @Test
    void holdsAMillionLiveSourcesInAboutTwentyOneBytesEach() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedHeapAfterGc(memory);
        RateLimitTable table = new RateLimitTable(1, 1_000_000, new Random(5));
        for (int i = 0; i < 1_000_000; i++) {
            assertThat(table.tryAcquire(ipv4(i), T0)).isEqualTo(ACCEPTED);
        }
        long measured = usedHeapAfterGc(memory) - before;

        assertThat(table.size()).isEqualTo(1_000_000);
        for (int i = 0; i < 1_000_000; i += 997) {
            assertThat(table.tryAcquire(ipv4(i), T0)).isEqualTo(OVER_RATE);
        }
        long footprint = table.footprintBytes();
        System.out.printf("rate-limit table with 1,000,000 live sources: footprint %,d bytes (%.1f bytes per"
                + " source), measured heap growth %,d bytes (%.1f bytes per source)%n",
                footprint, footprint / 1e6, measured, measured / 1e6);
        assertThat(footprint / 1e6).isLessThan(24);
        assertThat(measured).isBetween(footprint / 2, footprint + (2 << 20));
    }

    @Test
    void sharedBetweenThreadsItCountsEveryDatagramOnce() throws Exception {
        RateLimitTable table = new RateLimitTable(1000, 100_000, new Random(9));
        InetAddress shared = ipv4(1);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = 100_000 * (t + 1);
                tasks.add(() -> {
                    int acceptedShared = 0;
                    for (int i = 0; i < 10_000; i++) {
                        acceptedShared += table.tryAcquire(shared, T0) == ACCEPTED ? 1 : 0;
                        if (table.tryAcquire(ipv4(base + i), T0) != ACCEPTED) {
                            throw new AssertionError("own source " + (base + i) + " refused");
                        }
                    }
                    return acceptedShared;
                });
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                total += f.get();
            }
            assertThat(total).as("the burst of the shared source, across threads").isEqualTo(1000);
            assertThat(table.size()).isEqualTo(1 + threads * 10_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> new RateLimitTable(0, 10)).hasMessage("ratePerSecond must be at least 1, was 0");
        assertThatThrownBy(() -> new RateLimitTable(1, 0)).hasMessage("maxSources must be at least 1, was 0");
    }

    static InetAddress ipv4(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
