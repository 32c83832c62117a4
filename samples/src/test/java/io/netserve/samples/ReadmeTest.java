package io.netserve.samples;

import io.netserve.cli.Defaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The README stays true to the code: its Java compiles, its defaults are the code's, its samples exist. */
class ReadmeTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path UPPER = Path.of("src/main/java/io/netserve/samples/upper/UpperProtocol.java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern OPTION_ROW = Pattern.compile("^\\| `(--[a-z-]+)[^`]*` \\| .* \\| `([^`]*)` \\|$",
            Pattern.MULTILINE);
    /** What every snippet may use without importing it. */
    private static final String IMPORTS = String.join("\n",
            "import io.netserve.core.*;", "import io.netserve.core.config.*;", "import io.netserve.core.server.*;",
            "import io.netserve.core.tcp.*;", "import io.netserve.core.udp.*;", "import io.netserve.core.idle.*;",
            "import io.netserve.test.*;", "import io.netserve.samples.upper.UpperProtocol;",
            "import io.netty.channel.*;", "import io.netty.handler.timeout.IdleStateEvent;", "import java.time.Duration;",
            "import org.junit.jupiter.api.Test;", "import org.junit.jupiter.api.extension.RegisterExtension;",
            "import static org.assertj.core.api.Assertions.assertThat;", "");
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

    @Test
    void everyJavaSnippetCompilesAgainstTheApi(@TempDir Path dir) throws Exception {
        List<Path> sources = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(Files.readString(README));
        for (int n = 0; m.find(); n++) {
            String snippet = m.group(1);
            if (snippet.contains("public final class UpperProtocol") || snippet.contains("public final class UpperClient")) {
                continue; // whole files, checked above
            }
            Path source = dir.resolve("readme/Snippet" + n + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, wrap("Snippet" + n, snippet));
            sources.add(source);
        }
        assertThat(sources).as("Java snippets in the README").hasSizeGreaterThanOrEqualTo(5);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> problems = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(problems, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, problems,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.resolve("out").toString(),
                            "-proc:none"),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertThat(ok).as(() -> problems.getDiagnostics().stream().map(d -> d.getSource().getName()
                    + ":" + d.getLineNumber() + ": " + d.getMessage(null)).collect(Collectors.joining("\n"))).isTrue();
        }
    }

    @Test
    void everyDefaultInTheOptionTablesIsTheCodes() throws Exception {
        Map<String, String> defaults = Defaults.values();
        Matcher m = OPTION_ROW.matcher(Files.readString(README));
        int checked = 0;
        while (m.find()) {
            if (defaults.containsKey(m.group(1))) {
                assertThat(m.group(2)).as("README default of " + m.group(1)).isEqualTo(defaults.get(m.group(1)));
                checked++;
            }
        }
        assertThat(checked).as("rows checked").isGreaterThanOrEqualTo(9);
    }

    /**
     * A snippet as a class: its imports on top; members (annotated fields and tests) as the class
     * body, anything else as the body of a method.
     */
    private static String wrap(String name, String snippet) {
        StringBuilder imports = new StringBuilder(IMPORTS);
        StringBuilder code = new StringBuilder();
        for (String line : snippet.split("\n")) {
            (line.startsWith("import ") ? imports : code).append(line).append('\n');
        }
        boolean members = code.toString().strip().startsWith("@");
        return "package readme;\n" + imports + "\npublic class " + name + " extends io.netserve.samples.ReadmeContext {\n"
                + (members ? code : "void snippet() throws Exception {\n" + code + "}\n") + "}\n";
    }
}
