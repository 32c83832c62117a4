package io.netserve.core.internal.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be a
 * {@code # HELP}, a {@code # TYPE} or a sample of the family last typed, or the parse fails. The
 * samples come back keyed as {@code name{k="v",...}} with the labels sorted, so that a test can
 * look one up exactly.
 */
final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ")(?: (.*))?");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\",?");
    private static final Pattern VALUE = Pattern.compile("[+-]?(?:Inf|NaN|\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)");
    private static final Map<String, Set<String>> SUFFIXES = Map.of(
            "counter", Set.of(""), "gauge", Set.of(""), "untyped", Set.of(""),
            "summary", Set.of("", "_sum", "_count"), "histogram", Set.of("_bucket", "_sum", "_count"));

    private final Map<String, Double> samples;
    private final Map<String, String> types;

    private PrometheusText(Map<String, Double> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    /** Parses {@code text}, failing with the line at fault. */
    static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        String family = null;
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                continue;
            }
            if ((m = TYPE.matcher(line)).matches()) {
                family = m.group(1);
                if (types.put(family, m.group(2)) != null) {
                    throw new AssertionError("line " + number + ": family typed twice: " + line);
                }
                continue;
            }
            if (line.startsWith("#")) {
                throw new AssertionError("line " + number + ": neither HELP nor TYPE: " + line);
            }
            if (!(m = SAMPLE.matcher(line)).matches() || !VALUE.matcher(m.group(4)).matches()) {
                throw new AssertionError("line " + number + ": not a sample: " + line);
            }
            String name = m.group(1);
            if (family == null || !belongs(name, family, types.get(family))) {
                throw new AssertionError("line " + number + ": sample outside its family " + family + ": " + line);
            }
            String key = name + labels(m.group(3) == null ? "" : m.group(3), number);
            if (samples.put(key, Double.parseDouble(m.group(4).replace("Inf", "Infinity"))) != null) {
                throw new AssertionError("line " + number + ": sample twice: " + line);
            }
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the text does not end with a line feed");
        }
        return new PrometheusText(samples, types);
    }

    /** All samples, keyed {@code name{k="v",...}} with labels sorted. */
    Map<String, Double> samples() {
        return samples;
    }

    /** The value of the sample {@code name} with {@code labels} (key, value, ...), or null. */
    Double value(String name, String... labels) {
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        return samples.get(name + render(sorted));
    }

    /** The type of the family {@code name}, or null. */
    String type(String name) {
        return types.get(name);
    }

    /** The names of the samples, without labels. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (String key : samples.keySet()) {
            int brace = key.indexOf('{');
            String name = brace < 0 ? key : key.substring(0, brace);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean belongs(String sample, String family, String type) {
        return SUFFIXES.get(type).stream().anyMatch(suffix -> sample.equals(family + suffix));
    }

    private static String labels(String body, int number) {
        Map<String, String> sorted = new TreeMap<>();
        Matcher m = LABEL.matcher(body);
        int at = 0;
        while (at < body.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AssertionError("line " + number + ": bad labels: {" + body + "}");
            }
            sorted.put(m.group(1), m.group(2));
            at = m.end();
        }
        return render(sorted);
    }

    private static String render(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("{");
        labels.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
        return b.append('}').toString();
    }
}
