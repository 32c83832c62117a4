package io.netserve.samples;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Write your own protocol" and "Samples" stay true to the code. */
class ReadmeTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path UPPER = Path.of("src/main/java/io/netserve/samples/upper/UpperProtocol.java");

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
    void everyCommandIsShownWithTheLineThatRunsIt() throws Exception {
        String readme = Files.readString(README);
        List<String> commands = List.copyOf(new CommandLine(new Main()).getSubcommands().keySet());
        assertThat(commands).hasSize(8);
        for (String command : commands) {
            assertThat(readme).contains("java -jar samples/target/samples.jar " + command);
        }
    }
}
