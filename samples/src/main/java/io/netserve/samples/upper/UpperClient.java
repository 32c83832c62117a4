package io.netserve.samples.upper;

import io.netserve.core.Protocol;
import io.netserve.core.config.ClientConfig;
import io.netserve.core.tcp.RequestClient;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The client of {@link UpperProtocol}, walked through in the README's "Clients": core's
 * {@link RequestClient} with the protocol's line codec; one request waited for, then the others
 * pipelined.
 *
 * <pre>{@code
 * java -cp samples/target/samples.jar io.netserve.samples.upper.UpperClient 7000   # [HELLO, PIPELINED, REQUESTS]
 * }</pre>
 */
public final class UpperClient {

    private UpperClient() {
    }

    /** Asks the upper-server on 127.0.0.1 and the port given (default 7000) to shout three lines, and prints its replies. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7000;
        System.out.println(shout(ClientConfig.builder("127.0.0.1", port).build(), "hello", "pipelined", "requests"));
    }

    /** The upper-server's replies to {@code first} and {@code more}, in order: the first waited for, the others pipelined. */
    public static List<String> shout(ClientConfig config, String first, String... more) throws Exception {
        Protocol lines = pipeline -> pipeline.addLast(
                new LineBasedFrameDecoder(UpperProtocol.MAX_LINE),   // bytes -> one line per reply
                new StringDecoder(UTF_8),                             // line -> String
                new LineEncoder(LineSeparator.UNIX, UTF_8));          // String -> bytes + "\n"
        try (RequestClient<String, String> upper = RequestClient.connect(config, lines, String.class)) {
            List<String> replies = new ArrayList<>();
            replies.add(upper.send(first));                           // waits, at most the request timeout
            List<CompletableFuture<String>> pipelined = new ArrayList<>();
            for (String line : more) {
                pipelined.add(upper.sendAsync(line));                 // no wait: sent at once, answered in order
            }
            for (CompletableFuture<String> reply : pipelined) {
                replies.add(reply.get());
            }
            return replies;
        }
    }
}
