package io.netserve.core.udp;

import io.netserve.core.Transport;

/** {@link UdpServerSuite} on epoll with two threads: two datagram channels on one port with SO_REUSEPORT. */
class EpollReusePortUdpServerTest extends UdpServerSuite {

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }

    @Override
    int ioThreads() {
        return 2;
    }
}
