package io.netserve.core.internal.tls;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.tcp.TcpServer;

import java.nio.file.Path;

/**
 * Run in a JVM of its own by {@link BouncyCastleLoadingTest}: starts a TCP server with TLS from
 * the certificate and key files named by its arguments, closes it and prints {@value #DONE}.
 */
public final class TlsStartMain {

    static final String DONE = "tls start done";

    private TlsStartMain() {
    }

    /** Starts with {@code args[0]} as the certificate chain and {@code args[1]} as the key, then closes. */
    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.builder().port(0).tls(Path.of(args[0]), Path.of(args[1])).build();
        try (TcpServer server = TcpServer.start(config, pipeline -> { })) {
            System.out.println("started " + server);
        }
        System.out.println(DONE);
    }
}
