package io.netserve.core.internal.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up time matters: Bouncy Castle, which only the traditional key forms need, is not loaded
 * for a PKCS#8 key. Checked in a JVM of its own ({@link TlsStartMain}), since this one has loaded
 * Bouncy Castle to make the test certificates, through the JVM's class-loading log.
 */
class BouncyCastleLoadingTest {

    @TempDir
    Path dir;

    @Test
    void aServerWithAPkcs8KeyLoadsNoBouncyCastleClass() throws Exception {
        TestPki.KeyFiles files = TestPki.writePair(dir, "server", TestPki.SERVER);

        List<String> output = run(files.cert(), files.key());

        assertThat(output).contains(TlsStartMain.DONE);
        assertThat(output).anyMatch(line -> line.contains("io.netserve.core.internal.tls.ServerTls "));
        assertThat(output).noneMatch(line -> line.contains("org.bouncycastle."));
    }

    @Test
    void aTraditionalKeyLoadsItAsItNeedsIt() throws Exception {
        TestPki.KeyFiles files = TestPki.writePair(dir, "server", TestPki.SERVER);
        Path traditional = TestPki.write(dir.resolve("traditional.key"), TestPki.traditionalPem(TestPki.SERVER));

        List<String> output = run(files.cert(), traditional);

        assertThat(output).contains(TlsStartMain.DONE);
        assertThat(output).anyMatch(line -> line.contains("org.bouncycastle.openssl.PEMParser "));
    }

    private static List<String> run(Path cert, Path key) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xlog:class+load=info", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), TlsStartMain.class.getName(), cert.toString(), key.toString())
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
