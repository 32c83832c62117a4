package io.netserve.test;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test when Netty's leak detector reports a {@code ByteBuf} that was never released. It
 * turns Netty's detector to paranoid by itself (every buffer tracked, whatever
 * {@code io.netty.leakDetection.level} says) and listens to it directly, so it works with any
 * SLF4J provider or none.
 *
 * <pre>{@code
 * @ExtendWith(LeakFailureExtension.class)
 * class MyProtocolTest { ... }
 * }</pre>
 *
 * <p>After each test it forces garbage collections, waits until the collector has queued the
 * references it found, and allocates so the detector drains its queue; any leak reported by then,
 * from any thread, fails the test. {@link ProtocolTester} and the server extensions check the same
 * way on their own.
 */
public final class LeakFailureExtension implements BeforeAllCallback, AfterEachCallback {

    /** Made by JUnit. */
    public LeakFailureExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Leaks.install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Leaks.assertNone(context.getDisplayName());
    }

    /**
     * Runs the leak detector now and returns, and forgets, the leak reports since the last call.
     * For tests that leak on purpose.
     */
    public static List<String> collectLeaks() {
        return Leaks.collect();
    }
}
