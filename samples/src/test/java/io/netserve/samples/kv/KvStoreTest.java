package io.netserve.samples.kv;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvStoreTest {

    @Test
    void setsGetsAndDeletesCopies() {
        KvStore store = new KvStore(10);
        byte[] value = {1, 2, 3};
        assertThat(store.set("k", value)).isTrue();
        value[0] = 9;
        assertThat(store.get("k")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
        store.get("k").orElseThrow()[1] = 9;
        assertThat(store.get("k").orElseThrow()).containsExactly(1, 2, 3);
        assertThat(store.delete("k")).isTrue();
        assertThat(store.delete("k")).isFalse();
        assertThat(store.get("k")).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void aFullStoreRefusesNewKeysButReplacesExistingOnes() {
        KvStore store = new KvStore(2);
        assertThat(store.set("a", new byte[] {1})).isTrue();
        assertThat(store.set("b", new byte[] {1})).isTrue();
        assertThat(store.set("c", new byte[] {1})).isFalse();
        assertThat(store.get("c")).isEmpty();
        assertThat(store.set("a", new byte[] {2})).isTrue();
        assertThat(store.get("a").orElseThrow()).containsExactly(2);
        store.delete("b");
        assertThat(store.set("c", new byte[] {1})).isTrue();
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void concurrentSetsNeverPassTheMaximum() throws Exception {
        int max = 100;
        KvStore store = new KvStore(max);
        AtomicInteger accepted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 200; i++) {
                        if (store.set(thread + "-" + i, new byte[0])) {
                            accepted.incrementAndGet();
                        }
                        if (i % 3 == 0) {
                            store.set("shared", new byte[0]);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.size()).isEqualTo(max);
        assertThat(accepted.get()).isLessThanOrEqualTo(max);
    }

    @Test
    void theMaximumIsChecked() {
        assertThatThrownBy(() -> new KvStore(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxKeys must be between 1 and 100000000, was 0");
    }
}
