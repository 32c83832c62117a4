package io.netserve.bench.load;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The options every scenario takes: where the server is, how long to measure, on which transport. */
final class LoadOptions {

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Server address, IPv4 or IPv6 (::1). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", paramLabel = "N", required = true, description = "Server port.")
    int port;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "5",
            description = "Unmeasured seconds before the measured ones, and up to as many more while this tool's "
                    + "JIT compiler is still busy: its compiling shares the tool's core and would lower the figures. "
                    + "Default: ${DEFAULT-VALUE}.")
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

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "The server's process id (Linux): the result then gives the server's CPU share of one core over "
                    + "the measured window, which shows whether the server or this tool was the limit; tcp-idle also "
                    + "reads the server's VmRSS.")
    Long serverPid;

    /** Checks the ranges; the message names the option. */
    void validate() {
        LoadGenerator.require(port >= 1 && port <= 65_535, "--port must be 1 to 65535, was " + port);
        LoadGenerator.require(warmup >= 0 && warmup <= 3_600, "--warmup must be 0 to 3600 seconds, was " + warmup);
        LoadGenerator.require(seconds > 0 && seconds <= 3_600, "--seconds must be above 0 and at most 3600, was " + seconds);
        LoadGenerator.require(ioThreads >= 1 && ioThreads <= 256, "--io-threads must be 1 to 256, was " + ioThreads);
        LoadGenerator.require(stallTimeout > 0 && stallTimeout <= 600,
                "--stall-timeout must be above 0 and at most 600 seconds, was " + stallTimeout);
        LoadGenerator.require(serverPid == null || serverPid > 0, "--server-pid must be a process id, was " + serverPid);
        LoadGenerator.require(serverPid == null || Files.isReadable(Path.of("/proc", serverPid.toString(), "stat")),
                "--server-pid: no process " + serverPid + " to read in /proc");
    }

    /** The server's process, when {@code --server-pid} was given. */
    ServerProcess serverProcess() {
        return serverPid == null ? null : new ServerProcess(serverPid);
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
