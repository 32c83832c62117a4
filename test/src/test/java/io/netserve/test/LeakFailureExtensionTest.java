package io.netserve.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

class LeakFailureExtensionTest {

    @Test
    void detectorReportsABufferNeverReleased() {
        leakOneBuffer();
        assertThat(LeakFailureExtension.collectLeaks()).anySatisfy(r -> assertThat(r).contains("LEAK:"));
    }

    @Test
    void aTestThatLeaksFails() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(Leaking.class))
                .execute()
                .testEvents();
        tests.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        assertThat(tests.failed().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                        .getThrowable().orElseThrow().getMessage()))
                .singleElement().asString().contains("ByteBuf leak").contains("LEAK:");
    }

    @Test
    void aTestThatReleasesPasses() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(16);
        buf.writeLong(1);
        assertThat(buf.release()).isTrue();
    }

    private static void leakOneBuffer() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(64);
        buf.writeLong(42);
    }

    /** Run only through the engine test kit above (surefire skips nested classes). */
    static class Leaking {
        @Test
        void leaks() {
            leakOneBuffer();
        }

        @Test
        void releases() {
            PooledByteBufAllocator.DEFAULT.buffer(8).release();
        }
    }
}
