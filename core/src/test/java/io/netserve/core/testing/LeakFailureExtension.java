package io.netserve.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fails a test when Netty's leak detector reports a {@code ByteBuf} that was never released.
 * Registered for every test of every module (JUnit auto-detection, see
 * {@code junit-platform.properties}); the build runs tests with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 *
 * <p>After each test it forces a garbage collection, waits until the collector has queued the
 * phantom references it found, and allocates once so the detector drains its queue; any
 * {@code LEAK:} report logged by then, from any thread, fails the test.
 */
public final class LeakFailureExtension implements BeforeAllCallback, AfterEachCallback {

    private static final List<String> reports = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported by Netty during "
                    + context.getDisplayName() + ":\n" + String.join("\n", leaks.stream().map(LeakFailureExtension::head).toList()));
        }
    }

    /**
     * Runs the leak detector now and returns, and forgets, the leak reports logged since the last
     * call. For tests that leak on purpose.
     */
    public static List<String> collectLeaks() {
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

    private static String head(String report) {
        return report.lines().limit(25).collect(java.util.stream.Collectors.joining("\n"));
    }

    private static void runGc() {
        // Twice: the JDK's Reference Handler takes the references one GC found as a batch and may
        // enqueue the sentinel before a leaked buffer's tracker; a second GC's sentinel comes out
        // only after the whole first batch is through.
        awaitOneGc();
        awaitOneGc();
    }

    private static void awaitOneGc() {
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
                break;
            }
        }
        sentinel.clear();
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getFormattedMessage().contains("LEAK:")) {
                    reports.add(event.getFormattedMessage());
                }
            }
        };
        appender.setName("netserve-leak-failure");
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        installed = true;
    }
}
