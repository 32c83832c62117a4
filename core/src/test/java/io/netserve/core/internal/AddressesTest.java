package io.netserve.core.internal;

import io.netserve.core.server.ServerStartException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressesTest {

    @Test
    void formatsIpv4AsHostColonPort() throws Exception {
        assertThat(Addresses.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 65432)))
                .isEqualTo("127.0.0.1:65432");
        assertThat(Addresses.format(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)))
                .isEqualTo("0.0.0.0:0");
    }

    @Test
    void formatsIpv6CompressedInBrackets() throws Exception {
        assertThat(Addresses.format(new InetSocketAddress(InetAddress.getByName("::1"), 1))).isEqualTo("[::1]:1");
        assertThat(Addresses.format(new InetSocketAddress(InetAddress.getByName("0:0:0:0:0:0:0:1"), 40123)))
                .isEqualTo("[::1]:40123");
        assertThat(Addresses.format(new InetSocketAddress(InetAddress.getByName("::"), 7))).isEqualTo("[::]:7");
        assertThat(Addresses.format(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:0:0:0:1"), 80)))
                .isEqualTo("[2001:db8::1]:80");
    }

    @Test
    void formatsAResolvedNameByItsAddress() throws Exception {
        InetAddress named = InetAddress.getByAddress("example", new byte[] {127, 0, 0, 1});

        assertThat(Addresses.format(new InetSocketAddress(named, 80))).isEqualTo("127.0.0.1:80");
    }

    @Test
    void formatsAnUnresolvedAddressByItsName() {
        assertThat(Addresses.format(InetSocketAddress.createUnresolved("example.invalid", 80)))
                .isEqualTo("example.invalid:80");
        assertThat(Addresses.format(InetSocketAddress.createUnresolved("::1", 80))).isEqualTo("[::1]:80");
    }

    @Test
    void resolvesLiterals() throws Exception {
        assertThat(Addresses.resolve("127.0.0.1", 5).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(Addresses.resolve("::1", 5).getAddress()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(Addresses.resolve("::1", 5).getPort()).isEqualTo(5);
    }

    @Test
    void unknownHostNamesTheHost() {
        assertThatThrownBy(() -> Addresses.resolve("no-such-host.invalid", 5))
                .isExactlyInstanceOf(ServerStartException.class)
                .hasMessage("cannot resolve host 'no-such-host.invalid': unknown host");
    }
}
