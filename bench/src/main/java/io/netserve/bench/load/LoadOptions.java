package io.netserve.bench.load;

import picocli.CommandLine.Option;

/** The options every scenario takes: where the server is, how long to measure, on which transport. */
final class LoadOptions {

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Server address, IPv4 or IPv6 (::1). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "N", required = true, description = "Server port.")
    int port;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "5",
            description = "Unmeasured seconds before the measured ones; they also keep this tool's own JIT "
                    + "compilation, which shares its core, out of the measured window. Default: ${DEFAULT-VALUE}.")
    double warmup;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "5",
            description = "Measured seconds. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(names = "--transport", paramLabel = "auto|epoll|io_uring|nio", defaultValue = "auto",
            description = "Client I/O transport; auto takes epoll when it loads, else nio. Default: ${DEFAULT-VALUE}.")
    String transport;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "1",
            description = "Event loops; connections are spread over them. Default: ${DEFAULT-VALUE} "
                    + "(pin the load generator to one core).")
    int ioThreads;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "A server that echoes nothing for this long has failed. Default: ${DEFAULT-VALUE}.")
    double stallTimeout;

    /** Checks the ranges; the message names the option. */
    void validate() {
        LoadGenerator.require(port >= 1 && port <= 65_535, "--port must be 1 to 65535, was " + port);
        LoadGenerator.require(warmup >= 0 && warmup <= 3_600, "--warmup must be 0 to 3600 seconds, was " + warmup);
        LoadGenerator.require(seconds > 0 && seconds <= 3_600, "--seconds must be above 0 and at most 3600, was " + seconds);
        LoadGenerator.require(ioThreads >= 1 && ioThreads <= 256, "--io-threads must be 1 to 256, was " + ioThreads);
        LoadGenerator.require(stallTimeout > 0 && stallTimeout <= 600,
                "--stall-timeout must be above 0 and at most 600 seconds, was " + stallTimeout);
    }

    ClientTransport clientTransport() {
        switch (transport) {
            case "auto":
                return ClientTransport.AUTO;
            case "epoll":
                return ClientTransport.EPOLL;
            case "io_uring":
                return ClientTransport.IO_URING;
            case "nio":
                return ClientTransport.NIO;
            default:
                throw new LoadGenerator.UsageException("--transport must be auto, epoll, io_uring or nio, was '" + transport + "'");
        }
    }
}
