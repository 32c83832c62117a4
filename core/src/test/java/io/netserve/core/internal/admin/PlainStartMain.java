package io.netserve.core.internal.admin;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.tcp.TcpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Run in a JVM of its own by {@link MicrometerLoadingTest}: starts a TCP server configured without
 * metrics, and an admin endpoint that serves a fixed text, asks the endpoint once, closes both
 * and prints {@value #DONE}.
 */
public final class PlainStartMain {

    static final String DONE = "plain start done";

    private PlainStartMain() {
    }

    /** Starts, asks, closes. */
    public static void main(String[] args) throws Exception {
        try (TcpServer server = TcpServer.start(ServerConfig.builder().port(0).build(), pipeline -> { });
             AdminServer admin = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     () -> !server.isDraining(), () -> "")) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI ready = URI.create("http://127.0.0.1:" + admin.localAddress().getPort() + "/health/ready");
            int status = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("/health/ready answered " + status);
            }
        }
        System.out.println(DONE);
    }
}
