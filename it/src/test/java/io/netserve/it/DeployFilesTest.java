package io.netserve.it;

import io.netserve.cli.Defaults;
import io.netserve.cli.ServiceLauncher;
import io.netserve.core.config.Durations;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.internal.admin.AdminServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files under {@code deploy/} agree with the code: every command line they run parses with the
 * jar's own options, and the ports, probe paths, timeouts and security settings fit what those
 * options say and what the code's constants are.
 */
class DeployFilesTest {

    private static final Path DEPLOY = Path.of("..", "deploy");

    @ParameterizedTest
    @ValueSource(strings = {"echo-tcp.service", "echo-tcp@.service", "echo-udp.service"})
    void systemdUnitsRunTheJarSafelyAndWaitLongEnoughForTheDrain(String name) throws IOException {
        Map<String, Map<String, String>> unit = readUnit(DEPLOY.resolve("systemd").resolve(name));
        Map<String, String> service = unit.get("Service");

        assertThat(service).containsEntry("DynamicUser", "yes").containsEntry("NoNewPrivileges", "yes")
                .containsEntry("ProtectSystem", "strict").containsEntry("PrivateTmp", "yes")
                .containsEntry("Restart", "on-failure").containsEntry("KillSignal", "SIGTERM");
        List<String> command = Arrays.asList(service.get("ExecStart").replace("%i", "9101").split("\\s+"));
        int jar = command.indexOf("-jar");
        assertThat(command.get(0)).isEqualTo("/usr/bin/java");
        assertThat(command.subList(1, jar)).as("the heap sized for the unit's memory limit")
                .containsExactly("-XX:MaxRAM=" + service.get("MemoryMax").toLowerCase(Locale.ROOT));
        Options options = Options.parse(command.get(jar + 1), command.subList(jar + 2, command.size()));

        Duration stop = Duration.ofSeconds(Long.parseLong(service.get("TimeoutStopSec")));
        assertThat(stop).as("TimeoutStopSec above the drain delay and the shutdown timeout")
                .isGreaterThan(options.drainDelay().plus(options.shutdownTimeout()));
        assertThat(options.adminPort()).as("an admin endpoint to probe and scrape").isPositive();
        if (name.contains("@")) {
            assertThat(command).as("instances share the port").contains("--reuse-port");
            assertThat(options.adminPort()).as("the instance name is the admin port").isEqualTo(9101);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-tcp", "echo-udp"})
    void kubernetesManifestsAgreeWithTheJarsOptionsAndTheAdminEndpoint(String name) throws IOException {
        Map<String, Map<String, Object>> docs = readManifests(DEPLOY.resolve("kubernetes").resolve(name + ".yaml"));
        Map<String, Object> deployment = docs.get("Deployment");
        Map<String, Object> pod = map(map(deployment, "spec", "template"), "spec");
        Map<String, Object> container = list(pod, "containers").get(0);
        @SuppressWarnings("unchecked")
        List<String> args = (List<String>) container.get("args");
        Options options = Options.parse(name + ".jar", args);

        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map<String, Object> port : list(container, "ports")) {
            ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
        }
        assertThat(ports).containsEntry("echo", options.port()).containsEntry("admin", options.adminPort());
        assertThat(options.adminHost()).as("probes come from the node, not from loopback").isEqualTo("0.0.0.0");
        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", AdminServer.LIVE_PATH)
                .containsEntry("port", "admin");
        assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", AdminServer.READY_PATH)
                .containsEntry("port", "admin");
        assertThat(map(container, "lifecycle")).as("the drain delay does what a preStop hook would").isNull();
        assertThat(Duration.ofSeconds((Integer) pod.get("terminationGracePeriodSeconds")))
                .as("terminationGracePeriodSeconds above the drain delay and the shutdown timeout")
                .isGreaterThan(options.drainDelay().plus(options.shutdownTimeout()));

        Map<String, Object> annotations = map(map(map(deployment, "spec", "template"), "metadata"), "annotations");
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", String.valueOf(options.adminPort()))
                .containsEntry("prometheus.io/path", AdminServer.METRICS_PATH);
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
        assertThat(map(map(container, "resources"), "requests")).containsKeys("cpu", "memory");
        assertThat(map(map(container, "resources"), "limits")).containsKeys("cpu", "memory");
        assertThat(list(container, "volumeMounts")).anySatisfy(m -> assertThat(m).containsEntry("mountPath", "/tmp"));

        Map<String, Object> servicePort = list(map(docs.get("Service"), "spec"), "ports").get(0);
        assertThat(servicePort).containsEntry("port", options.port()).containsEntry("targetPort", "echo")
                .containsEntry("protocol", name.endsWith("udp") ? "UDP" : "TCP");
        Object labels = map(map(map(deployment, "spec", "template"), "metadata"), "labels").get("app.kubernetes.io/name");
        assertThat(map(map(docs.get("PodDisruptionBudget"), "spec"), "selector").get("matchLabels"))
                .isEqualTo(Map.of("app.kubernetes.io/name", labels));
        assertThat(map(map(docs.get("Service"), "spec"), "selector")).containsEntry("app.kubernetes.io/name", labels);
    }

    @Test
    void theDockerfileRunsTheJarOnAJava17RuntimeWithTheAdminEndpointOpen() throws IOException {
        List<String> lines = Files.readAllLines(DEPLOY.resolve("docker").resolve("Dockerfile"));

        assertThat(lines).anyMatch(l -> l.startsWith("FROM ") && l.contains("java17") && l.contains("nonroot"));
        assertThat(lines).anyMatch(l -> l.startsWith("ENTRYPOINT [\"java\", \"-jar\""));
        String cmd = lines.stream().filter(l -> l.startsWith("CMD ")).findFirst().orElseThrow();
        List<String> args = Arrays.stream(cmd.substring(4).replaceAll("[\\[\\]\"]", "").split(",\\s*")).toList();
        Options options = Options.parse("echo-tcp.jar", args);
        assertThat(options.adminHost()).isEqualTo("0.0.0.0");
        assertThat(options.adminPort()).isPositive();
    }

    /** The settings a command line gives a jar, as its own parser reads them, defaults included. */
    private record Options(String host, int port, String adminHost, int adminPort, Duration drainDelay,
                           Duration shutdownTimeout) {

        static Options parse(String jar, List<String> args) {
            Object main = jar.contains("echo-udp") ? new io.netserve.echo.udp.Main() : new io.netserve.echo.tcp.Main();
            CommandLine cli = ServiceLauncher.commandLine(main);
            ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
            return new Options(parsed.matchedOptionValue("--host", ServerConfig.DEFAULT_HOST),
                    parsed.matchedOptionValue("--port", Defaults.PORT),
                    parsed.matchedOptionValue("--admin-host", ServerConfig.DEFAULT_ADMIN_HOST),
                    parsed.matchedOptionValue("--admin-port", ServerConfig.ADMIN_OFF),
                    parsed.matchedOptionValue("--drain-delay", ServerConfig.DEFAULT_DRAIN_DELAY),
                    parsed.matchedOptionValue("--shutdown-timeout", ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT));
        }

        @Override
        public String toString() {
            return "Options{port=" + port + ", admin=" + adminHost + ":" + adminPort + ", drainDelay="
                    + Durations.format(drainDelay) + ", shutdownTimeout=" + Durations.format(shutdownTimeout) + "}";
        }
    }

    /** A systemd unit file: its sections, each a map of its keys (the last value wins). */
    private static Map<String, Map<String, String>> readUnit(Path file) throws IOException {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> section = null;
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("[") && l.endsWith("]")) {
                section = sections.computeIfAbsent(l.substring(1, l.length() - 1), k -> new LinkedHashMap<>());
            } else {
                int eq = l.indexOf('=');
                section.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return sections;
    }

    /** A multi-document manifest, each document by its kind. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> readManifests(Path file) throws IOException {
        Map<String, Map<String, Object>> byKind = new LinkedHashMap<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml().loadAll(reader)) {
                Map<String, Object> map = (Map<String, Object>) doc;
                byKind.put((String) map.get("kind"), map);
            }
        }
        assertThat(byKind).containsOnlyKeys("Deployment", "Service", "PodDisruptionBudget");
        return byKind;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> map, String... path) {
        Map<String, Object> m = map;
        for (String key : path) {
            m = m == null ? null : (Map<String, Object>) m.get(key);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> map, String key) {
        return new ArrayList<>((List<Map<String, Object>>) map.get(key));
    }
}
