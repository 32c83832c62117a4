package io.netserve.test;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Netty's buffer leak detector, turned to paranoid and listened to: every buffer allocated from
 * then on is tracked, and every leak it reports is kept here, whatever logging the tests use.
 */
final class Leaks {

    private static final List<String> reports = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    private Leaks() {
    }

    /** Turns paranoid detection on and starts listening, once. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        detector().setLeakListener((resourceType, records) -> reports.add(
                "LEAK: " + resourceType + ".release() was not called before it's garbage-collected." + records));
        installed = true;
    }

    /**
     * Runs the leak detector now and returns, and forgets, the leaks reported since the last call.
     */
    static List<String> collect() {
        install();
        runGc();
        // The detector drains its reference queue when it tracks a new buffer.
        for (ByteBuf buf : new ByteBuf[] {PooledByteBufAllocator.DEFAULT.buffer(1),
                UnpooledByteBufAllocator.DEFAULT.buffer(1), PooledByteBufAllocator.DEFAULT.directBuffer(1),
                UnpooledByteBufAllocator.DEFAULT.directBuffer(1)}) {
            buf.release();
        }
        List<String> found = new ArrayList<>(reports);
        reports.removeAll(found);
        return found;
    }

    /**
     * Fails with the leaks reported since the last call, if any.
     *
     * @throws AssertionError naming each leaked buffer's last accesses
     */
    static void assertNone(String during) {
        List<String> leaks = collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported by Netty during " + during + ":\n"
                    + leaks.stream().map(Leaks::head).collect(Collectors.joining("\n")));
        }
    }

    /** The first lines of a leak report: enough to find the buffer's last access. */
    static String head(String report) {
        return report.lines().limit(25).collect(Collectors.joining("\n"));
    }

    /** The detector every Netty buffer is tracked by: Netty's, set up when its buffers load. */
    @SuppressWarnings("unchecked")
    private static ResourceLeakDetector<ByteBuf> detector() {
        try {
            Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
            field.setAccessible(true);
            return (ResourceLeakDetector<ByteBuf>) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot listen to Netty's buffer leak detector: " + e, e);
        }
    }

    /**
     * Two full collections, each awaited through a phantom sentinel. The Reference Handler enqueues
     * what one collection found as a batch, in no set order: the first sentinel may come out before
     * a leaked buffer's reference of the same batch; the second sentinel's batch is handed over
     * only after that whole batch was enqueued.
     */
    private static void runGc() {
        for (int round = 0; round < 2; round++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
            for (int i = 0; i < 5; i++) {
                System.gc();
                try {
                    if (queue.remove(200) != null) {
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            sentinel.clear();
        }
    }
}
