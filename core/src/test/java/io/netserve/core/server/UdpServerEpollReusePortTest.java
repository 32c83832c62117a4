package io.netserve.core.server;

import io.netserve.core.transport.Transport;

/** {@link UdpServerBehaviourTest} on epoll with two threads: two datagram channels on one port with SO_REUSEPORT. */
class UdpServerEpollReusePortTest extends UdpServerBehaviourTest {

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }

    @Override
    int ioThreads() {
        return 2;
    }
}
