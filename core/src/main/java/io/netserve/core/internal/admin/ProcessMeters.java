package io.netserve.core.internal.admin;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The meters of the process rather than of one server, bound once per registry however many
 * servers share it: Micrometer's JVM binders (memory, GC, threads, class loading), the process
 * binders (CPU, uptime, file descriptors) and Netty's default allocator
 * ({@link ByteBufAllocator#DEFAULT}, Netty 4.2's adaptive allocator unless
 * {@code -Dio.netty.allocator.type} says otherwise: it reports used heap and direct memory).
 *
 * <p>Counted per registry: the first {@link #acquire} binds, the last {@link #release} stops the
 * GC listener and removes the meters the binding added. Since the GC binder registers its pause
 * timers lazily, that is every {@code jvm.}, {@code process.} and {@code system.} meter (and
 * {@code netty.allocator.} one) that was not on the registry before the binding. A registry that has JVM meters already (its owner bound Micrometer's binders) gets
 * no second set, which would count every collection twice; likewise for the allocator's meters.
 * Thread-safe.
 */
final class ProcessMeters {

    /** The names of all meters the JVM and process binders register, now or later. */
    private static final List<String> JVM_PREFIXES = List.of("jvm.", "process.", "system.");
    private static final String ALLOCATOR_PREFIX = "netty.allocator.";

    private static final Map<MeterRegistry, ProcessMeters> BOUND = new IdentityHashMap<>();

    private final MeterRegistry registry;
    private final Set<Meter.Id> before;
    /** Null when the registry had JVM meters already. */
    private final JvmGcMetrics gc;
    private final boolean allocator;
    private int users;

    private ProcessMeters(MeterRegistry registry, Set<Meter.Id> before, JvmGcMetrics gc, boolean allocator) {
        this.registry = registry;
        this.before = before;
        this.gc = gc;
        this.allocator = allocator;
    }

    /** Binds the process meters to {@code registry} unless bound already, and counts one more user. */
    static ProcessMeters acquire(MeterRegistry registry) {
        synchronized (BOUND) {
            ProcessMeters meters = BOUND.computeIfAbsent(registry, ProcessMeters::bind);
            meters.users++;
            return meters;
        }
    }

    /** Counts one user less; the last one unbinds. */
    void release() {
        synchronized (BOUND) {
            if (--users > 0) {
                return;
            }
            BOUND.remove(registry);
            if (gc != null) {
                gc.close();
            }
            for (Meter meter : registry.getMeters()) {
                if (!before.contains(meter.getId()) && ours(meter.getId().getName())) {
                    registry.remove(meter);
                }
            }
        }
    }

    private boolean ours(String name) {
        return gc != null && JVM_PREFIXES.stream().anyMatch(name::startsWith)
                || allocator && name.startsWith(ALLOCATOR_PREFIX);
    }

    private static ProcessMeters bind(MeterRegistry registry) {
        Set<Meter.Id> before = new HashSet<>();
        registry.getMeters().forEach(m -> before.add(m.getId()));
        JvmGcMetrics gc = null;
        if (registry.find("jvm.memory.used").meter() == null) {
            new JvmMemoryMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }
        boolean allocator = false;
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                && registry.find(ALLOCATOR_PREFIX + "memory.used").meter() == null) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
            allocator = true;
        }
        return new ProcessMeters(registry, before, gc, allocator);
    }
}
