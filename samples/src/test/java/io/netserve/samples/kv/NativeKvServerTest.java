package io.netserve.samples.kv;

import io.netserve.core.Transport;
import io.netserve.samples.Transports;
import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf("io.netserve.samples.Transports#nativeAvailable")
class NativeKvServerTest extends KvServerContract {
    @Override
    Transport transport() {
        return Transports.nativeTransport();
    }
}
