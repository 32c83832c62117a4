package io.netserve.core.server;

import io.netserve.core.transport.Transport;

/** {@link UdpServerBehaviourTest} on epoll with one thread: one datagram channel. */
class UdpServerEpollTest extends UdpServerBehaviourTest {

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }

    @Override
    int ioThreads() {
        return 1;
    }
}
