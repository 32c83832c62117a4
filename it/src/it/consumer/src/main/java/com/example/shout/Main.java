package com.example.shout;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.tcp.TcpServer;

/** Serves the shout protocol on port 7000 until SIGTERM, then drains. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws ServerStartException {
        TcpServer server = TcpServer.start(ServerConfig.builder().port(7000).build(), new ShoutProtocol());
        server.closeOnShutdown();
        server.closeFuture().toCompletableFuture().join();
    }
}
