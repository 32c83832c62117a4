package io.netserve.core.udp;

import io.netserve.core.Transport;

/** {@link UdpServerSuite} on epoll with one thread: one datagram channel. */
class EpollUdpServerTest extends UdpServerSuite {

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }

    @Override
    int ioThreads() {
        return 1;
    }
}
