package io.netserve.core.internal.admin;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up time matters: a server without metrics, and the admin endpoint itself, load no
 * Micrometer class. Checked in a JVM of its own ({@link PlainStartMain}), since this one has
 * loaded Micrometer for other tests, through the JVM's class-loading log.
 */
class MicrometerLoadingTest {

    @Test
    void aPlainServerAndTheAdminEndpointLoadNoMicrometerClass() throws Exception {
        List<String> output = run(PlainStartMain.class.getName());

        assertThat(output).contains(PlainStartMain.DONE);
        assertThat(output).anyMatch(line -> line.contains("io.netserve.core.internal.admin.AdminServer "));
        assertThat(output).noneMatch(line -> line.contains("io.micrometer."));
    }

    private static List<String> run(String mainClass) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xlog:class+load=info", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), mainClass)
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
        List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
        assertThat(process.exitValue()).as(String.join("\n", lines.subList(Math.max(0, lines.size() - 30),
                lines.size()))).isZero();
        return lines;
    }
}
