package io.netserve.samples;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Write your own protocol", "Clients" and "Samples" stay true to the code. */
class ReadmeTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path UPPER = Path.of("src/main/java/io/netserve/samples/upper/UpperProtocol.java");
    private static final Path UPPER_CLIENT = Path.of("src/main/java/io/netserve/samples/upper/UpperClient.java");
    private static final Path KV_CLIENT = Path.of("src/main/java/io/netserve/samples/kv/KvClient.java");

    @Test
    void theSmallestProtocolFitsInOneFileOfAtMost40Lines() throws Exception {
        assertThat(Files.readAllLines(UPPER)).hasSizeLessThanOrEqualTo(40);
    }

    @Test
    void theWalkThroughShowsTheProtocolAsItIs() throws Exception {
        String code = Files.readString(UPPER);
        String body = code.substring(code.indexOf("public final class UpperProtocol")).strip();
        assertThat(Files.readString(README)).contains("## Write your own protocol").contains(body);
    }

    @Test
    void theClientsSectionShowsAWholeRequestResponseClientAsItIs() throws Exception {
        String readme = Files.readString(README);
        String code = Files.readString(UPPER_CLIENT);
        String body = code.substring(code.indexOf("public final class UpperClient")).strip();
        assertThat(readme.indexOf("## Clients")).isPositive().isLessThan(readme.indexOf("## Samples"));
        assertThat(readme.substring(readme.indexOf("## Clients"), readme.indexOf("## Samples"))).contains(body);
    }

    @Test
    void theKvClientIsARequestResponseClientOfUnderSixtyLines() throws Exception {
        assertThat(Files.readAllLines(KV_CLIENT)).hasSizeLessThan(60);
        assertThat(Files.readString(KV_CLIENT)).contains("RequestClient.connect(");
    }

    @Test
    void everyCommandIsShownWithTheLineThatRunsIt() throws Exception {
        String readme = Files.readString(README);
        List<String> commands = List.copyOf(new CommandLine(new Main()).getSubcommands().keySet());
        assertThat(commands).hasSize(8);
        for (String command : commands) {
            assertThat(readme).contains("java -jar samples/target/samples.jar " + command);
        }
    }
}
