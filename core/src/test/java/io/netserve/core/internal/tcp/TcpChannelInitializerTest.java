package io.netserve.core.internal.tcp;

import io.netserve.core.Protocol;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.idle.IdlePolicy;
import io.netserve.core.internal.BackpressureHandler;
import io.netserve.core.internal.ExceptionTailHandler;
import io.netserve.core.internal.ServerContext;
import io.netserve.core.internal.TrafficMetricsHandler;
import io.netserve.core.internal.tls.TestPki;
import io.netserve.core.internal.tls.TestPki.KeyFiles;
import io.netserve.core.internal.tls.TlsHandshakeHandler;
import io.netserve.core.internal.tls.TlsLayer;
import io.netserve.core.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class TcpChannelInitializerTest {

    private static final Protocol PROTOCOL = pipeline -> pipeline
            .addLast("decoder", new ChannelInboundHandlerAdapter())
            .addLast("handler", new ChannelInboundHandlerAdapter());

    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerContext context = new ServerContext(metrics);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void tlsComesFirstSoThatEveryOtherHandlerSeesPlaintext(@TempDir Path dir) throws Exception {
        KeyFiles files = TestPki.writePair(dir, "server", TestPki.SERVER);
        ServerConfig config = ServerConfig.builder().tls(files.cert(), files.key()).build();
        try (TlsLayer tls = TlsLayer.open(config, context)) {
            EmbeddedChannel ch = register(new TcpChannelInitializer(config, context, PROTOCOL, null, tls));

            assertThat(names(ch)).containsExactly("tls", "tls-handshake",
                    "limit", "metrics", "idle", "idlePolicy", "backpressure", "writeStall", "decoder", "handler", "tail");
            assertThat(ch.pipeline().get("tls-handshake")).isInstanceOf(TlsHandshakeHandler.class);
        }
    }

    @Test
    void defaultsPutEveryStandardHandlerAroundTheProtocolInOrder() {
        EmbeddedChannel ch = channel(ServerConfig.defaults(), null);

        assertThat(names(ch)).containsExactly(
                "limit", "metrics", "idle", "idlePolicy", "backpressure", "writeStall", "decoder", "handler", "tail");
        assertThat(ch.pipeline().get("limit")).isInstanceOf(ConnectionLimitHandler.class);
        assertThat(ch.pipeline().get("metrics")).isInstanceOf(TrafficMetricsHandler.class);
        assertThat(ch.pipeline().get("idle")).isInstanceOf(IdleDetectionHandler.class);
        assertThat(ch.pipeline().get(IdlePolicy.HANDLER_NAME)).isSameAs(IdlePolicy.close());
        assertThat(ch.pipeline().get("backpressure")).isSameAs(BackpressureHandler.INSTANCE);
        assertThat(ch.pipeline().get("writeStall")).isInstanceOf(WriteStallHandler.class);
        assertThat(ch.pipeline().get("tail")).isInstanceOf(ExceptionTailHandler.class);
    }

    @Test
    void idleHandlerHasTheConfiguredTimeouts() {
        ServerConfig config = ServerConfig.builder().readerIdleTimeout(Duration.ofSeconds(1))
                .writerIdleTimeout(Duration.ofSeconds(2)).allIdleTimeout(Duration.ofSeconds(3)).build();

        IdleDetectionHandler idle = (IdleDetectionHandler) channel(config, null).pipeline().get("idle");

        assertThat(idle.readerTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(idle.writerTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(idle.allTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void anyOneIdleTimeoutAddsTheIdleHandlers() {
        ServerConfig readerOnly = ServerConfig.builder().allIdleTimeout(Duration.ZERO)
                .readerIdleTimeout(Duration.ofSeconds(1)).build();

        assertThat(names(channel(readerOnly, null))).containsSubsequence("idle", "idlePolicy");
        IdleDetectionHandler idle = (IdleDetectionHandler) channels.get(0).pipeline().get("idle");
        assertThat(idle.allTimeout()).isZero();
    }

    @Test
    void noIdleTimeoutLeavesOutTheIdleHandlers() {
        ServerConfig config = ServerConfig.builder().allIdleTimeout(Duration.ZERO).build();

        assertThat(names(channel(config, null))).containsExactly(
                "limit", "metrics", "backpressure", "writeStall", "decoder", "handler", "tail");
    }

    @Test
    void noWriteStallTimeoutLeavesOutTheStallHandler() {
        ServerConfig config = ServerConfig.builder().writeStallTimeout(Duration.ZERO).build();

        assertThat(names(channel(config, null))).containsExactly(
                "limit", "metrics", "idle", "idlePolicy", "backpressure", "decoder", "handler", "tail");
    }

    @Test
    void neitherTimeoutLeavesTheProtocolRightAfterBackpressure() {
        ServerConfig config = ServerConfig.builder().allIdleTimeout(Duration.ZERO).writeStallTimeout(Duration.ZERO)
                .build();

        assertThat(names(channel(config, null))).containsExactly(
                "limit", "metrics", "backpressure", "decoder", "handler", "tail");
    }

    @Test
    void sharedHandlersAreSharedAndPerChannelOnesAreNot() {
        TcpChannelInitializer initializer = new TcpChannelInitializer(ServerConfig.defaults(), context, PROTOCOL, null);
        EmbeddedChannel a = register(initializer);
        EmbeddedChannel b = register(initializer);

        for (String shared : List.of("limit", "metrics", "idlePolicy", "backpressure", "tail")) {
            assertThat(a.pipeline().get(shared)).as(shared).isSameAs(b.pipeline().get(shared));
            assertThat(a.pipeline().get(shared).getClass().isAnnotationPresent(ChannelHandler.Sharable.class))
                    .as(shared + " is @Sharable").isTrue();
        }
        for (String perChannel : List.of("idle", "writeStall")) {
            assertThat(a.pipeline().get(perChannel)).as(perChannel).isNotSameAs(b.pipeline().get(perChannel));
        }
        assertThat(((ConnectionLimitHandler) a.pipeline().get("limit")).openConnections()).isEqualTo(2);
        assertThat(metrics.connectionsActive()).isEqualTo(2);
    }

    @Test
    void aProtocolReplacesTheIdlePolicyInItsPlace() {
        IdlePolicy own = new IdlePolicy() {
            @Override
            protected void idle(ChannelHandlerContext ctx, IdleStateEvent event) {
            }

            @Override
            public boolean isSharable() {
                return true;
            }
        };
        EmbeddedChannel ch = register(new TcpChannelInitializer(ServerConfig.defaults(), context,
                pipeline -> IdlePolicy.replace(pipeline, own), null));

        assertThat(names(ch)).containsExactly("limit", "metrics", "idle", "idlePolicy", "backpressure", "writeStall",
                "tail");
        assertThat(ch.pipeline().get(IdlePolicy.HANDLER_NAME)).isSameAs(own);
    }

    @Test
    void addsEachChannelToTheGroup() {
        ChannelGroup group = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);

        EmbeddedChannel ch = channel(ServerConfig.defaults(), group);

        assertThat(group.contains(ch)).isTrue();
        assertThat(group.size()).isEqualTo(1);
        ch.close().syncUninterruptibly();
        assertThat(group.isEmpty()).isTrue();
    }

    @Test
    void limitsConnectionsAsConfigured() {
        TcpChannelInitializer initializer = new TcpChannelInitializer(
                ServerConfig.builder().maxConnections(1).build(), context, PROTOCOL, null);

        EmbeddedChannel first = register(initializer);
        EmbeddedChannel second = register(initializer);

        assertThat(first.isActive()).isTrue();
        assertThat(second.isOpen()).isFalse();
        assertThat(metrics.connectionsRejected()).isEqualTo(1);
    }

    @Test
    void idleConnectionIsClosedThroughThePipeline() {
        ServerConfig config = ServerConfig.builder().allIdleTimeout(Duration.ofSeconds(1)).build();
        EmbeddedChannel ch = channel(config, null);

        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();

        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.idleClosed()).isEqualTo(1);
        assertThat(metrics.connectionsActive()).isZero();
    }

    @Test
    void refusesNullsButNotANullGroup() {
        assertThatNullPointerException().isThrownBy(
                () -> new TcpChannelInitializer(null, context, PROTOCOL, null)).withMessage("config");
        assertThatNullPointerException().isThrownBy(
                () -> new TcpChannelInitializer(ServerConfig.defaults(), null, PROTOCOL, null)).withMessage("context");
        assertThatNullPointerException().isThrownBy(
                () -> new TcpChannelInitializer(ServerConfig.defaults(), context, null, null)).withMessage("protocol");
    }

    private static List<String> names(EmbeddedChannel ch) {
        return new ArrayList<>(ch.pipeline().toMap().keySet());
    }

    private EmbeddedChannel channel(ServerConfig config, ChannelGroup group) {
        return register(new TcpChannelInitializer(config, context, PROTOCOL, group));
    }

    private EmbeddedChannel register(TcpChannelInitializer initializer) {
        EmbeddedChannel ch = new EmbeddedChannel(initializer);
        channels.add(ch);
        return ch;
    }
}
