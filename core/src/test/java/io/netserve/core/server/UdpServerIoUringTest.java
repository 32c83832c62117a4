package io.netserve.core.server;

import io.netserve.core.transport.Transport;

/** {@link UdpServerBehaviourTest} on io_uring with two threads: two datagram channels on one port with SO_REUSEPORT. */
class UdpServerIoUringTest extends UdpServerBehaviourTest {

    @Override
    Transport transport() {
        return Transport.IO_URING;
    }

    @Override
    int ioThreads() {
        return 2;
    }
}
