package io.netserve.core.udp;

import io.netserve.core.Transport;

/** {@link UdpServerSuite} on io_uring with two threads: two datagram channels on one port with SO_REUSEPORT. */
class IoUringUdpServerTest extends UdpServerSuite {

    @Override
    Transport transport() {
        return Transport.IO_URING;
    }

    @Override
    int ioThreads() {
        return 2;
    }
}
