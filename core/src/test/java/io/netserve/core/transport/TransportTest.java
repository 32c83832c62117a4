package io.netserve.core.transport;

import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
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
                .containsExactly("auto", "nio", "epoll", "io_uring");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void fromCliNameFindsEachTransportIgnoringCaseAndSpace(Transport t) {
        assertThat(Transport.fromCliName(t.cliName())).isEqualTo(t);
        assertThat(Transport.fromCliName(t.name())).isEqualTo(t);
        assertThat(Transport.fromCliName(" " + t.cliName() + " ")).isEqualTo(t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "kqueue", "iouring", "io-uring", "epol"})
    void fromCliNameRefusesOthersNamingValueAndChoices(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> Transport.fromCliName(name))
                .withMessage("'" + name + "' is not a transport: use auto, nio, epoll or io_uring");
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
        assertThat(Transport.AUTO.datagramChannelClass()).isEqualTo(chosen.datagramChannelClass());
    }

    @Test
    void autoPrefersEpollThenIoUringThenNio() {
        Transport expected = Transport.EPOLL.isAvailable() ? Transport.EPOLL
                : Transport.IO_URING.isAvailable() ? Transport.IO_URING : Transport.NIO;

        assertThat(Transport.AUTO.resolve()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NIO", "EPOLL", "IO_URING"})
    void namedAvailableTransportResolvesToItself(Transport t) {
        assumeTrue(t.isAvailable(), () -> t + " is not available here");

        assertThat(t.resolve()).isSameAs(t);
        assertThat(t.unavailabilityCause()).isEmpty();
        assertThat(t.ioHandlerFactory()).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING"})
    void namedUnavailableTransportSaysWhy(Transport t) {
        assumeTrue(!t.isAvailable(), () -> t + " is available here");

        assertThatThrownBy(t::resolve).isInstanceOf(TransportUnavailableException.class)
                .hasMessageStartingWith("transport " + t.cliName() + " is not available on this system: ")
                .satisfies(e -> assertThat(((TransportUnavailableException) e).transport()).isEqualTo(t));
    }

    @Test
    void nioIsAlwaysAvailable() {
        assertThat(Transport.NIO.isAvailable()).isTrue();
        assertThat(Transport.NIO.isNative()).isFalse();
        assertThat(Transport.NIO.serverChannelClass()).isEqualTo(NioServerSocketChannel.class);
        assertThat(Transport.NIO.datagramChannelClass()).isEqualTo(NioDatagramChannel.class);
    }

    @Test
    void nativeTransportsNameTheirChannels() {
        assertThat(Transport.EPOLL.isNative()).isTrue();
        assertThat(Transport.IO_URING.isNative()).isTrue();
        assertThat(Transport.AUTO.isNative()).isFalse();
        assertThat(Transport.EPOLL.serverChannelClass()).isEqualTo(EpollServerSocketChannel.class);
        assertThat(Transport.IO_URING.serverChannelClass()).isEqualTo(IoUringServerSocketChannel.class);
    }

    @Test
    void availabilityReportHasOneLinePerConcreteTransport() {
        List<String> lines = Transport.availabilityReport().lines().toList();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("epoll: ");
        assertThat(lines.get(1)).startsWith("io_uring: ");
        assertThat(lines.get(2)).isEqualTo("nio: available");
        for (Transport t : List.of(Transport.EPOLL, Transport.IO_URING)) {
            String line = lines.stream().filter(l -> l.startsWith(t.cliName() + ": ")).findFirst().orElseThrow();
            if (t.isAvailable()) {
                assertThat(line).isEqualTo(t.cliName() + ": available");
            } else {
                assertThat(line).startsWith(t.cliName() + ": unavailable (").endsWith(")");
            }
        }
    }
}
