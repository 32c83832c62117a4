package io.netserve.core.udp;

import io.netserve.core.Transport;

/** {@link UdpServerSuite} on the NIO transport: one datagram channel, whatever the thread count. */
class NioUdpServerTest extends UdpServerSuite {

    @Override
    Transport transport() {
        return Transport.NIO;
    }

    @Override
    int ioThreads() {
        return 2;
    }
}
