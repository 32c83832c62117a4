package io.netserve.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server's process as Linux's {@code /proc} shows it, read beside the figures: its CPU time,
 * so that a run shows whether the server or this tool was the bottleneck (a server near one whole
 * core is the limit), and its resident memory.
 */
final class ServerProcess {

    /** The unit of the CPU times in {@code /proc/PID/stat}: {@code USER_HZ}, 100 on Linux's x86 and ARM ABIs. */
    static final long TICKS_PER_SECOND = 100;

    private final long pid;

    ServerProcess(long pid) {
        this.pid = pid;
    }

    long pid() {
        return pid;
    }

    /** CPU time used so far, user and system ({@code utime + stime}), in nanoseconds. */
    long cpuNanos() throws IOException {
        Path path = Path.of("/proc", Long.toString(pid), "stat");
        String stat = Files.readString(path, StandardCharsets.ISO_8859_1);
        // The process name in field 2 is in parentheses and may hold spaces: count from after it.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        if (f.length < 13) {
            throw new IOException("too few fields in " + path);
        }
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the line
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** Resident memory ({@code VmRSS}) in KiB. */
    long rssKib() throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        for (String line : Files.readAllLines(status, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no VmRSS line in " + status);
    }
}
