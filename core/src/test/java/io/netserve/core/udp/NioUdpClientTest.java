package io.netserve.core.udp;

import io.netserve.core.Transport;

/** {@link UdpClientSuite} on Java NIO, available everywhere. */
class NioUdpClientTest extends UdpClientSuite {

    @Override
    Transport transport() {
        return Transport.NIO;
    }
}
