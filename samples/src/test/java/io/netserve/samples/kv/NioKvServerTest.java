package io.netserve.samples.kv;

import io.netserve.core.Transport;

/** {@link KvServerSuite} on Java NIO. */
class NioKvServerTest extends KvServerSuite {

    @Override
    Transport transport() {
        return Transport.NIO;
    }
}
