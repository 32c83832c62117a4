package io.netserve.bench.load;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one run: a short table for people and one {@code RESULT {...}} line, a single
 * JSON object, for scripts. Round trips are recorded in nanoseconds and printed in microseconds.
 */
final class Report {

    /** What starts the machine-readable line. */
    static final String PREFIX = "RESULT ";

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final Map<String, Object> scenarioOptions = new LinkedHashMap<>();

    private Report() {
    }

    /** Gathers the figures of {@code scenario} after it ran in {@code run}. */
    static Report of(Scenario scenario, Run run, LoadOptions options) {
        Report r = new Report();
        Map<String, Object> f = r.fields;
        Run.Failure failure = run.failure();
        Outcome outcome = failure == null ? Outcome.OK : failure.outcome();
        f.put("scenario", scenario.name());
        f.put("outcome", outcome.label());
        f.put("host", options.host);
        f.put("port", options.port);
        f.put("transport", run.transport().cliName());
        f.put("io_threads", options.ioThreads);
        f.put("warmup_s", round(run.warmupSeconds(), 3));
        f.put("seconds_s", options.seconds);
        scenario.describe(r.scenarioOptions);
        f.putAll(r.scenarioOptions);
        double seconds = run.windowSeconds();
        long messages = run.sum(Recorder::messages);
        Histogram h = run.histogram();
        f.put("elapsed_s", round(seconds, 3));
        f.put("msgs", messages);
        f.put("msgs_per_s", round(messages / seconds, 1));
        if (scenario.unit().equals("conns")) {
            f.put("conns_per_s", round(messages / seconds, 1));
        }
        f.put("mib_per_s", round(run.sum(Recorder::bytes) / seconds / (1024.0 * 1024.0), 3));
        f.put("p50_us", micros(h, 50));
        f.put("p90_us", micros(h, 90));
        f.put("p99_us", micros(h, 99));
        f.put("p999_us", micros(h, 99.9));
        f.put("max_us", round(h.getMaxValue() / 1000.0, 1));
        f.put("mean_us", round(h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0, 1));
        f.put("lost", run.sum(Recorder::lostCount));
        f.put("late", run.sum(Recorder::lateCount));
        f.put("errors", outcome == Outcome.SERVER_FAILED ? 1 : 0);
        f.put("mismatches", outcome == Outcome.MISMATCH ? 1 : 0);
        f.put("lg_cpu", round(run.cpuShare(), 2));
        f.put("lg_jit_ms", run.jitMillisInWindow());
        if (run.serverProcess() != null) {
            f.put("server_pid", run.serverProcess().pid());
            f.put("server_cpu", round(run.serverCpuShare(), 2));
        }
        scenario.report(f);
        if (failure != null) {
            f.put("message", failure.message());
        }
        return r;
    }

    Map<String, Object> fields() {
        return fields;
    }

    /** Prints the table and then the {@code RESULT} line. */
    void print(PrintStream out) {
        Map<String, Object> f = fields;
        String unit = f.containsKey("conns_per_s") ? "conns/s" : "msgs/s";
        row(out, "scenario", f.get("scenario") + " " + options());
        row(out, "server", LoadGenerator.format(String.valueOf(f.get("host")), (Integer) f.get("port"))
                + "  (client transport " + f.get("transport") + ", " + f.get("io_threads") + " event loop(s))");
        long jit = (Long) f.get("lg_jit_ms");
        row(out, "measured", String.format(Locale.ROOT, "%.3f s after %s s warm-up%s", (Double) f.get("elapsed_s"),
                number(f.get("warmup_s")), jit < 0 ? "" : " (this tool's JIT then compiled " + jit + " ms in the window)"));
        row(out, unit, String.format(Locale.ROOT, "%,.0f", (Double) f.get("msgs_per_s")));
        row(out, "MiB/s", String.format(Locale.ROOT, "%,.1f", (Double) f.get("mib_per_s")));
        row(out, "round trip µs", String.format(Locale.ROOT, "p50 %s | p90 %s | p99 %s | p99.9 %s | max %s",
                number(f.get("p50_us")), number(f.get("p90_us")), number(f.get("p99_us")),
                number(f.get("p999_us")), number(f.get("max_us"))));
        if (f.containsKey("idle_conns")) {
            String idle = String.format(Locale.ROOT, "%,d open in %.2f s (%,.0f/s), held %s s, %d closed by the server",
                    (Integer) f.get("idle_conns"), (Double) f.get("open_s"), (Double) f.get("open_per_s"),
                    number(f.get("hold_s")), (Integer) f.get("closed_by_server"));
            row(out, "idle", idle);
            if (f.containsKey("rss_before_kib")) {
                Object per = f.get("rss_per_conn_kib");
                row(out, "server RSS", String.format(Locale.ROOT, "%,d KiB before, %,d KiB with them: %s KiB per connection",
                        (Long) f.get("rss_before_kib"), (Long) f.get("rss_after_kib"),
                        per == null ? "n/a" : String.format(Locale.ROOT, "%.2f", (Double) per)));
            }
        }
        String checks = String.format(Locale.ROOT, "%,d %s, every byte checked; lost %d, late %d",
                (Long) f.get("msgs"), "conns/s".equals(unit) ? "connections" : "messages",
                (Long) f.get("lost"), (Long) f.get("late"));
        if (f.containsKey("port_waits")) {
            checks += ", port waits " + f.get("port_waits");
        }
        row(out, "checked", checks);
        row(out, "outcome", f.get("outcome") + (f.containsKey("message") ? ": " + f.get("message") : ""));
        row(out, "load tool CPU", f.get("lg_cpu") + " of one core");
        if (f.containsKey("server_cpu")) {
            row(out, "server CPU", f.get("server_cpu") + " of one core (process " + f.get("server_pid") + ")");
        }
        out.println(PREFIX + json(f));
        out.flush();
    }

    private String options() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : scenarioOptions.entrySet()) {
            if (e.getValue() != null) {
                sb.append(sb.length() == 0 ? "(" : ", ").append(e.getKey().replace('_', '-')).append(' ')
                        .append(number(e.getValue()));
            }
        }
        return sb.length() == 0 ? "" : sb.append(')').toString();
    }

    private static void row(PrintStream out, String label, String value) {
        out.printf(Locale.ROOT, "%-14s %s%n", label, value);
    }

    private static String number(Object v) {
        if (v instanceof Double) {
            double d = (Double) v;
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.format(Locale.ROOT, "%,d", (long) d);
            }
            return String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%,.0f" : "%.1f", d);
        }
        return String.valueOf(v);
    }

    private static double micros(Histogram h, double percentile) {
        return round(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0, 1);
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /** {@code fields} as one JSON object: strings, numbers, booleans and null. */
    static String json(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            string(sb, e.getKey());
            sb.append(':');
            Object v = e.getValue();
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Double) {
                double d = (Double) v;
                sb.append(Double.isFinite(d) ? String.valueOf(d) : "null");
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                string(sb, v.toString());
            }
        }
        return sb.append('}').toString();
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
