package io.netserve.core.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

class BindFailedExceptionTest {

    private static final InetSocketAddress ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7);

    @Test
    void keepsTheOperatingSystemsWordsFromNio() {
        BindException cause = new BindException("Address already in use");

        BindFailedException e = new BindFailedException(ADDRESS, cause);

        assertThat(e).hasMessage("cannot bind 127.0.0.1:7: Address already in use").hasCause(cause);
        assertThat(e.address()).isEqualTo(ADDRESS);
    }

    @Test
    void dropsTheNativeTransportsCallAndErrorNumber() {
        assertThat(new BindFailedException(ADDRESS,
                new IOException("bind(..) failed with error(-98): Address already in use")))
                .hasMessage("cannot bind 127.0.0.1:7: Address already in use");
        assertThat(new BindFailedException(ADDRESS, new IOException("bind(..) failed: Permission denied")))
                .hasMessage("cannot bind 127.0.0.1:7: Permission denied");
    }

    @Test
    void namesTheCauseWhenItHasNoMessage() {
        assertThat(new BindFailedException(ADDRESS, new BindException()))
                .hasMessage("cannot bind 127.0.0.1:7: BindException");
    }

    @Test
    void formatsIpv6InBrackets() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 80);

        assertThat(new BindFailedException(v6, new BindException("Permission denied")))
                .hasMessage("cannot bind [::1]:80: Permission denied")
                .isInstanceOf(ServerStartException.class);
    }
}
