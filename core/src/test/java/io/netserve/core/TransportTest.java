package io.netserve.core;

import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TransportTest {

    @Test
    void cliNamesAreLowerCase() {
        assertThat(Arrays.stream(Transport.values()).map(Transport::cliName))
                .containsExactly("auto", "nio", "epoll", "io_uring", "kqueue");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void fromCliNameFindsEachTransportIgnoringCaseAndSpace(Transport t) {
        assertThat(Transport.fromCliName(t.cliName())).isEqualTo(t);
        assertThat(Transport.fromCliName(t.name())).isEqualTo(t);
        assertThat(Transport.fromCliName(" " + t.cliName() + " ")).isEqualTo(t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "kq", "iouring", "io-uring", "epol"})
    void fromCliNameRefusesOthersNamingValueAndChoices(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> Transport.fromCliName(name))
                .withMessage("'" + name + "' is not a transport: use auto, nio, epoll, io_uring or kqueue");
    }

    @Test
    void fromCliNameRefusesNull() {
        assertThatIllegalArgumentException().isThrownBy(() -> Transport.fromCliName(null))
                .withMessageContaining("is not a transport");
    }

    @Test
    void autoResolvesToAnAvailableConcreteTransport() {
        Transport chosen = Transport.AUTO.resolve();

        assertThat(chosen).isNotEqualTo(Transport.AUTO);
        assertThat(chosen.isAvailable()).isTrue();
        assertThat(Transport.AUTO.isAvailable()).isTrue();
        assertThat(Transport.AUTO.serverChannelClass()).isEqualTo(chosen.serverChannelClass());
        assertThat(Transport.AUTO.socketChannelClass()).isEqualTo(chosen.socketChannelClass());
        DatagramChannel ch = Transport.AUTO.datagramChannelFactory(SocketProtocolFamily.INET).newChannel();
        try {
            assertThat(ch.getClass()).isEqualTo(chosen.datagramChannelFactory(SocketProtocolFamily.INET).newChannel().getClass());
        } finally {
            ch.unsafe().closeForcibly();
        }
    }

    @Test
    void autoPrefersEpollThenIoUringThenKqueueThenNio() {
        Transport expected = Transport.EPOLL.isAvailable() ? Transport.EPOLL
                : Transport.IO_URING.isAvailable() ? Transport.IO_URING
                : Transport.KQUEUE.isAvailable() ? Transport.KQUEUE : Transport.NIO;

        assertThat(Transport.AUTO.resolve()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING", "KQUEUE"})
    void namedAvailableTransportResolvesToItself(Transport t) {
        assumeTrue(t.isAvailable(), () -> t + " is not available here");

        assertThat(t.resolve()).isSameAs(t);
        assertThat(t.unavailabilityCause()).isEmpty();
        assertThat(t.ioHandlerFactory()).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "KQUEUE"})
    void namedUnavailableTransportSaysWhy(Transport t) {
        assumeTrue(!t.isAvailable(), () -> t + " is available here");

        assertThatThrownBy(t::resolve).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("transport " + t.cliName() + " is not available on this system: ")
                .hasCause(t.unavailabilityCause().orElseThrow());
    }

    @Test
    void kqueueDoesNotLoadOnLinuxAndSaysWhy() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "not Linux");

        assertThat(Transport.KQUEUE.isAvailable()).isFalse();
        assertThat(Transport.availabilityReport()).containsPattern("(?m)^kqueue: unavailable \\(.+\\)$");
    }

    @Test
    void nioIsAlwaysAvailable() {
        assertThat(Transport.NIO.isAvailable()).isTrue();
        assertThat(Transport.NIO.isNative()).isFalse();
        assertThat(Transport.NIO.serverChannelClass()).isEqualTo(NioServerSocketChannel.class);
        assertThat(Transport.NIO.socketChannelClass()).isEqualTo(NioSocketChannel.class);
        DatagramChannel ch = Transport.NIO.datagramChannelFactory(SocketProtocolFamily.INET).newChannel();
        try {
            assertThat(ch).isInstanceOf(NioDatagramChannel.class);
        } finally {
            ch.unsafe().closeForcibly();
        }
    }

    @Test
    void nativeTransportsNameTheirChannels() {
        assertThat(Transport.EPOLL.isNative()).isTrue();
        assertThat(Transport.IO_URING.isNative()).isTrue();
        assertThat(Transport.KQUEUE.isNative()).isTrue();
        assertThat(Transport.AUTO.isNative()).isFalse();
        assertThat(Transport.EPOLL.serverChannelClass()).isEqualTo(EpollServerSocketChannel.class);
        assertThat(Transport.IO_URING.serverChannelClass()).isEqualTo(IoUringServerSocketChannel.class);
        assertThat(Transport.KQUEUE.serverChannelClass()).isEqualTo(KQueueServerSocketChannel.class);
    }

    @Test
    void availabilityReportHasOneLinePerConcreteTransport() {
        List<String> lines = Transport.availabilityReport().lines().toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("epoll: ");
        assertThat(lines.get(1)).startsWith("io_uring: ");
        assertThat(lines.get(2)).startsWith("kqueue: ");
        assertThat(lines.get(3)).isEqualTo("nio: available");
        for (Transport t : List.of(Transport.EPOLL, Transport.IO_URING, Transport.KQUEUE)) {
            String line = lines.stream().filter(l -> l.startsWith(t.cliName() + ": ")).findFirst().orElseThrow();
            if (t.isAvailable()) {
                assertThat(line).isEqualTo(t.cliName() + ": available");
            } else {
                assertThat(line).startsWith(t.cliName() + ": unavailable (").endsWith(")");
            }
        }
    }
}
