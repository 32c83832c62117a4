package io.netserve.samples.kv;

import io.netserve.test.ServerExtension;
import io.netserve.test.TestClient;
import io.netserve.samples.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kv-client} against a real kv server started in-process. */
class KvClientCommandTest {

    private static final KvProtocol kv = new KvProtocol(new KvStore(3), 64);

    @RegisterExtension
    static final ServerExtension server = ServerExtension.of(kv);

    private static Run kvClient(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "kv-client";
        all[1] = "--port";
        all[2] = String.valueOf(server.port());
        System.arraycopy(args, 0, all, 3, args.length);
        return Run.of(all);
    }

    @Test
    void setGetDel() {
        assertThat(kvClient("set", "greeting", "hello, kv")).isEqualTo(new Run(0, "OK\n", ""));
        assertThat(kvClient("get", "greeting")).isEqualTo(new Run(0, "hello, kv\n", ""));
        assertThat(kv.store().get("greeting")).hasValueSatisfying(
                v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("hello, kv"));
        assertThat(kvClient("DEL", "greeting")).isEqualTo(new Run(0, "OK\n", ""));
        assertThat(kvClient("get", "greeting"))
                .isEqualTo(new Run(3, "", "samples kv-client: greeting: not found\n"));
        assertThat(kvClient("del", "greeting"))
                .isEqualTo(new Run(3, "", "samples kv-client: greeting: not found\n"));
    }

    @Test
    void aFullStoreIsStatusOne() {
        for (int i = 0; i < 3; i++) {
            kv.store().set("fill" + i, new byte[0]);
        }
        try {
            assertThat(kvClient("set", "one-more", "x"))
                    .isEqualTo(new Run(1, "", "samples kv-client: the store is full: one-more not set\n"));
        } finally {
            for (int i = 0; i < 3; i++) {
                kv.store().delete("fill" + i);
            }
        }
    }

    @Test
    void aBadCommandLineIsStatusTwo() {
        assertThat(kvClient("set", "k").status()).isEqualTo(2);
        assertThat(kvClient("set", "k").err()).startsWith("samples kv-client: set needs a VALUE\n");
        assertThat(kvClient("get", "k", "v").err()).startsWith("samples kv-client: get takes no VALUE\n");
        assertThat(kvClient("put", "k", "v").err()).startsWith("samples kv-client: unknown operation 'put'");
        assertThat(kvClient("get", "").err()).startsWith("samples kv-client: a KEY is 1 to 65535 bytes");
        Run big = kvClient("--max-frame", "50", "set", "k", "v".repeat(100));
        assertThat(big.status()).isEqualTo(2);
        assertThat(big.err()).startsWith("samples kv-client: the request takes 104 bytes, more than --max-frame 50")
                .doesNotContain("Exception");
        assertThat(Run.of("kv-client").err()).contains("Missing required parameters")
                .contains("Try 'samples kv-client --help'");
    }

    @Test
    void aRequestTheServerFindsTooLargeClosesTheConnection() {
        // The server's maximum is 64 bytes; the client's, by default, 64 KiB.
        Run sent = kvClient("set", "k", "v".repeat(100));
        assertThat(sent.status()).isEqualTo(1);
        // Closed, or reset if the server closed before reading the whole frame: either way one line.
        assertThat(sent.err()).startsWith("samples kv-client: connection ").contains("127.0.0.1:" + server.port())
                .hasLineCount(1);
        try (TestClient still = server.newClient()) {
            still.send(KvFrames.frame(KvFrames.request('G', "k", "")));
            assertThat(still.readBytes(5)).isEqualTo(KvFrames.response(1, ""));
        }
    }

    @Test
    void aRefusedConnectionIsStatusOne() throws IOException {
        int unused;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = socket.getLocalPort();
        }
        Run run = Run.of("kv-client", "--port", String.valueOf(unused), "get", "k");
        assertThat(run).isEqualTo(new Run(1, "", "samples kv-client: cannot connect to 127.0.0.1:" + unused
                + ": Connection refused\n"));
    }
}
