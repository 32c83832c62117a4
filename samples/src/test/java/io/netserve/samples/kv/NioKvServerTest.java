package io.netserve.samples.kv;

import io.netserve.core.Transport;

class NioKvServerTest extends KvServerContract {
    @Override
    Transport transport() {
        return Transport.NIO;
    }
}
