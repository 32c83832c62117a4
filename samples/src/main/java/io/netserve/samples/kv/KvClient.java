package io.netserve.samples.kv;

import io.netserve.core.config.ClientConfig;
import io.netserve.core.tcp.RequestClient;
import io.netserve.samples.client.ClientException;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A client of {@link KvProtocol}: core's {@link RequestClient} with {@link KvClientCodec}, so
 * requests may be pipelined, each waits at most the request timeout, and a failure is one line
 * naming the server.
 *
 * <pre>{@code
 * try (KvClient kv = KvClient.connect(ClientConfig.builder("127.0.0.1", 7002).build(), KvProtocol.DEFAULT_MAX_FRAME)) {
 *     kv.send(KvRequest.set("greeting", "hello".getBytes(UTF_8)));
 *     KvResponse r = kv.send(KvRequest.get("greeting"));
 * }
 * }</pre>
 */
public final class KvClient implements AutoCloseable {

    private final RequestClient<KvRequest, KvResponse> requests;

    private KvClient(RequestClient<KvRequest, KvResponse> requests) {
        this.requests = requests;
    }

    /** Connects to the server of {@code config}, refusing frames over {@code maxFrame} bytes. */
    public static KvClient connect(ClientConfig config, int maxFrame) throws IOException {
        return new KvClient(RequestClient.connect(config, KvClientCodec.protocol(maxFrame), KvResponse.class));
    }

    /** Sends {@code request} and waits for its response. */
    public KvResponse send(KvRequest request) throws ClientException {
        try {
            return requests.send(request);
        } catch (IOException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ClientException(e.getMessage());
        }
    }

    /** Sends {@code request} without waiting: pipelined, answered in order. */
    public CompletableFuture<KvResponse> sendAsync(KvRequest request) {
        return requests.sendAsync(request);
    }

    /** Closes the connection, failing what is still pending. */
    @Override
    public void close() {
        requests.close();
    }
}
