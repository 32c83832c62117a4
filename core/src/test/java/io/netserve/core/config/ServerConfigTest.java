package io.netserve.core.config;

import io.netserve.core.Transport;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.time.Duration;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class ServerConfigTest {

    @Test
    void defaultsAreSafe() {
        ServerConfig c = ServerConfig.defaults();

        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.transport()).isEqualTo(Transport.AUTO);
        assertThat(c.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.shutdownQuietPeriod()).isZero();
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.readerIdleTimeout()).isZero();
        assertThat(c.writerIdleTimeout()).isZero();
        assertThat(c.allIdleTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.writeStallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxConnections()).isEqualTo(10_000);
        assertThat(c.writeBufferLowWaterMark()).isEqualTo(32 * 1024);
        assertThat(c.writeBufferHighWaterMark()).isEqualTo(64 * 1024);
        assertThat(c.backlog()).isEqualTo(1024);
        assertThat(c.maxDatagramSize()).isEqualTo(ServerConfig.MAX_UDP_PAYLOAD).isEqualTo(65_507);
        assertThat(c.rateLimitPerSecond()).isZero();
        assertThat(c.rateLimitMaxSources()).isEqualTo(65_536);
        assertThat(c.allowPrivilegedSourcePorts()).isFalse();
    }

    @Test
    void defaultsAreTheNamedConstants() {
        ServerConfig c = ServerConfig.defaults();

        assertThat(c.host()).isEqualTo(ServerConfig.DEFAULT_HOST);
        assertThat(c.shutdownTimeout()).isEqualTo(ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(c.allIdleTimeout()).isEqualTo(ServerConfig.DEFAULT_IDLE_TIMEOUT);
        assertThat(c.writeStallTimeout()).isEqualTo(ServerConfig.DEFAULT_WRITE_STALL_TIMEOUT);
        assertThat(c.maxConnections()).isEqualTo(ServerConfig.DEFAULT_MAX_CONNECTIONS);
        assertThat(c.maxDatagramSize()).isEqualTo(ServerConfig.DEFAULT_MAX_DATAGRAM_SIZE);
        assertThat(c.rateLimitPerSecond()).isEqualTo(ServerConfig.DEFAULT_RATE_LIMIT_PER_SECOND);
        assertThat(c.rateLimitMaxSources()).isEqualTo(ServerConfig.DEFAULT_RATE_LIMIT_MAX_SOURCES);
    }

    @Test
    void portOutOfRangeNamesFieldValueAndRange() {
        assertRefused(() -> ServerConfig.builder().port(-1), "port must be between 0 and 65535, was -1");
        assertRefused(() -> ServerConfig.builder().port(65_536), "port must be between 0 and 65535, was 65536");
        assertThat(ServerConfig.builder().port(0).port(65_535).build().port()).isEqualTo(65_535);
    }

    @Test
    void intSettersOutOfRangeNameFieldValueAndRange() {
        assertRefused(() -> ServerConfig.builder().ioThreads(0), "ioThreads must be between 1 and 1024, was 0");
        assertRefused(() -> ServerConfig.builder().ioThreads(1025), "ioThreads must be between 1 and 1024, was 1025");
        assertRefused(() -> ServerConfig.builder().maxConnections(0),
                "maxConnections must be between 1 and 1000000, was 0");
        assertRefused(() -> ServerConfig.builder().maxConnections(1_000_001),
                "maxConnections must be between 1 and 1000000, was 1000001");
        assertRefused(() -> ServerConfig.builder().backlog(0), "backlog must be between 1 and 65535, was 0");
        assertRefused(() -> ServerConfig.builder().backlog(65_536), "backlog must be between 1 and 65535, was 65536");
        assertRefused(() -> ServerConfig.builder().maxDatagramSize(0),
                "maxDatagramSize must be between 1 and 65507, was 0");
        assertRefused(() -> ServerConfig.builder().maxDatagramSize(65_508),
                "maxDatagramSize must be between 1 and 65507, was 65508");
        assertRefused(() -> ServerConfig.builder().rateLimitPerSecond(-1),
                "rateLimitPerSecond must be between 0 and 10000000, was -1");
        assertRefused(() -> ServerConfig.builder().rateLimitPerSecond(10_000_001),
                "rateLimitPerSecond must be between 0 and 10000000, was 10000001");
        assertRefused(() -> ServerConfig.builder().rateLimitMaxSources(0),
                "rateLimitMaxSources must be between 1 and 10000000, was 0");
    }

    @Test
    void intSettersAcceptTheirBounds() {
        ServerConfig c = ServerConfig.builder()
                .ioThreads(1).maxConnections(1_000_000).backlog(1).maxDatagramSize(1)
                .rateLimitPerSecond(0).rateLimitMaxSources(10_000_000).build();

        assertThat(c.ioThreads()).isEqualTo(1);
        assertThat(c.maxConnections()).isEqualTo(1_000_000);
        assertThat(c.backlog()).isEqualTo(1);
        assertThat(c.maxDatagramSize()).isEqualTo(1);
        assertThat(c.rateLimitPerSecond()).isZero();
        assertThat(c.rateLimitMaxSources()).isEqualTo(10_000_000);
    }

    @Test
    void durationSettersRefuseNegativeAndOverADay() {
        assertDurationSetter("shutdownQuietPeriod", ServerConfig.Builder::shutdownQuietPeriod);
        assertDurationSetter("shutdownTimeout", ServerConfig.Builder::shutdownTimeout);
        assertDurationSetter("readerIdleTimeout", ServerConfig.Builder::readerIdleTimeout);
        assertDurationSetter("writerIdleTimeout", ServerConfig.Builder::writerIdleTimeout);
        assertDurationSetter("allIdleTimeout", ServerConfig.Builder::allIdleTimeout);
        assertDurationSetter("writeStallTimeout", ServerConfig.Builder::writeStallTimeout);
    }

    @Test
    void durationOutOfRangeIsReportedExactlyEvenWhenHuge() {
        // A nanosecond over the limit must not print as the limit itself.
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().shutdownTimeout(Duration.ofHours(24).plusNanos(1)))
                .withMessageStartingWith("shutdownTimeout must be between 0 and 24h, was ")
                .withMessageNotContaining("was 24h");
        // Too large to count in milliseconds: still the field's message, not an ArithmeticException.
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerConfig.builder().allIdleTimeout(Duration.ofSeconds(Long.MAX_VALUE)))
                .withMessageStartingWith("allIdleTimeout must be between 0 and 24h, was ");
    }

    @Test
    void waterMarksRefuseLowAboveHighAndOutOfRange() {
        assertRefused(() -> ServerConfig.builder().writeBufferWaterMark(2048, 1024),
                "writeBufferLowWaterMark must be at most writeBufferHighWaterMark (1024), was 2048");
        assertRefused(() -> ServerConfig.builder().writeBufferWaterMark(0, 1024),
                "writeBufferLowWaterMark must be between 1 and 67108864, was 0");
        assertRefused(() -> ServerConfig.builder().writeBufferWaterMark(1024, (64 << 20) + 1),
                "writeBufferHighWaterMark must be between 1 and 67108864, was 67108865");

        ServerConfig c = ServerConfig.builder().writeBufferWaterMark(1024, 1024).build();
        assertThat(c.writeBufferLowWaterMark()).isEqualTo(1024);
        assertThat(c.writeBufferHighWaterMark()).isEqualTo(1024);
    }

    @Test
    void refusedValueLeavesTheBuilderAsItWas() {
        ServerConfig.Builder b = ServerConfig.builder().port(8080).writeBufferWaterMark(10, 20);

        assertThatIllegalArgumentException().isThrownBy(() -> b.port(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> b.writeBufferWaterMark(30, 25));

        ServerConfig c = b.build();
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.writeBufferLowWaterMark()).isEqualTo(10);
        assertThat(c.writeBufferHighWaterMark()).isEqualTo(20);
    }

    @Test
    void hostIsTrimmedAndMustNotBeBlank() {
        assertThat(ServerConfig.builder().host(" ::1 ").build().host()).isEqualTo("::1");
        assertRefused(() -> ServerConfig.builder().host("  "), "host must not be blank");
        assertRefused(() -> ServerConfig.builder().host(""), "host must not be blank");
    }

    @Test
    void nullsAreRefusedNamingTheField() {
        ServerConfig.Builder b = ServerConfig.builder();

        assertNullRefused(() -> b.host(null), "host");
        assertNullRefused(() -> b.transport(null), "transport");
        assertNullRefused(() -> b.shutdownQuietPeriod(null), "shutdownQuietPeriod");
        assertNullRefused(() -> b.shutdownTimeout(null), "shutdownTimeout");
        assertNullRefused(() -> b.readerIdleTimeout(null), "readerIdleTimeout");
        assertNullRefused(() -> b.writerIdleTimeout(null), "writerIdleTimeout");
        assertNullRefused(() -> b.allIdleTimeout(null), "allIdleTimeout");
        assertNullRefused(() -> b.writeStallTimeout(null), "writeStallTimeout");
    }

    @Test
    void toBuilderRoundTripsEveryField() {
        ServerConfig original = ServerConfig.builder()
                .host("::1").port(4242).transport(Transport.NIO).ioThreads(3)
                .shutdownQuietPeriod(Duration.ofMillis(10)).shutdownTimeout(Duration.ofSeconds(7))
                .readerIdleTimeout(Duration.ofSeconds(1)).writerIdleTimeout(Duration.ofSeconds(2))
                .allIdleTimeout(Duration.ofSeconds(3))
                .writeStallTimeout(Duration.ofSeconds(4)).maxConnections(5).writeBufferWaterMark(6, 7)
                .backlog(8).maxDatagramSize(9).rateLimitPerSecond(10).rateLimitMaxSources(11)
                .allowPrivilegedSourcePorts(true)
                .build();

        ServerConfig copy = original.toBuilder().build();

        assertThat(copy).isNotSameAs(original).usingRecursiveComparison().isEqualTo(original);
        // Every value above differs from its default, so a field the builder forgot to copy shows.
        assertThat(copy.toString()).isEqualTo(original.toString());
    }

    @Test
    void toBuilderDerivesAVariantWithoutChangingTheOriginal() {
        ServerConfig original = ServerConfig.builder().port(1000).build();

        ServerConfig variant = original.toBuilder().port(2000).build();

        assertThat(original.port()).isEqualTo(1000);
        assertThat(variant.port()).isEqualTo(2000);
        assertThat(variant.host()).isEqualTo(original.host());
    }

    @Test
    void toStringShowsTheMainSettings() {
        assertThat(ServerConfig.builder().port(1234).allIdleTimeout(Duration.ofMillis(250)).build().toString())
                .contains("host=127.0.0.1", "port=1234", "transport=AUTO", "allIdleTimeout=250ms",
                        "shutdownTimeout=5s");
    }

    private static void assertDurationSetter(String field, BiConsumer<ServerConfig.Builder, Duration> setter) {
        assertRefused(() -> setter.accept(ServerConfig.builder(), Duration.ofMillis(-1)),
                field + " must be between 0 and 24h, was -1ms");
        assertRefused(() -> setter.accept(ServerConfig.builder(), Duration.ofHours(25)),
                field + " must be between 0 and 24h, was 25h");
        assertThatCode(() -> setter.accept(ServerConfig.builder(), Duration.ZERO)).doesNotThrowAnyException();
        assertThatCode(() -> setter.accept(ServerConfig.builder(), Duration.ofHours(24))).doesNotThrowAnyException();
    }

    private static void assertRefused(ThrowingCallable call, String message) {
        assertThatIllegalArgumentException().isThrownBy(call).withMessage(message);
    }

    private static void assertNullRefused(ThrowingCallable call, String field) {
        assertThatNullPointerException().isThrownBy(call).withMessage(field);
    }
}
