package io.netserve.samples;

import io.netserve.cli.ServiceCommand;
import io.netserve.cli.ServiceLauncher;
import io.netserve.cli.VersionProvider;
import io.netserve.samples.chat.ChatServerCommand;
import io.netserve.samples.client.TcpClientCommand;
import io.netserve.samples.client.UdpClientCommand;
import io.netserve.samples.embed.EmbedCommand;
import io.netserve.samples.kv.KvClientCommand;
import io.netserve.samples.kv.KvServerCommand;
import io.netserve.samples.counter.UdpCounterServerCommand;
import io.netserve.samples.upper.UpperServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code samples.jar}: the samples as picocli subcommands, run through core's
 * {@link ServiceLauncher}: a server subcommand (a {@link ServiceCommand}) with the exit statuses and
 * the {@code listening on} line of every netserve service, the others as ordinary commands with the
 * same conventions (2 and a hint to {@code samples COMMAND --help} for a bad command line).
 *
 * <pre>{@code
 * java -jar samples/target/samples.jar chat-server --port 7000
 * java -jar samples/target/samples.jar tcp-client --port 7000 --message '/nick ada' --message hello
 * }</pre>
 */
@Command(name = "samples", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = "netserve samples: servers with their own protocols, clients, and an embedded service. "
                + "Run 'samples COMMAND --help' for each.",
        subcommands = {UpperServerCommand.class, ChatServerCommand.class, KvServerCommand.class,
                KvClientCommand.class, TcpClientCommand.class, UdpCounterServerCommand.class, UdpClientCommand.class,
                EmbedCommand.class})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Runs the subcommand named by the first argument and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(System.in, System.out, System.err, args));
    }

    /**
     * Runs the subcommand named by {@code args[0]} with the rest of {@code args} through core's
     * {@link ServiceLauncher}, the clients reading {@code in}, everything printing to {@code out}
     * and {@code err}; returns the exit status. Server subcommands run until a termination signal.
     */
    static int run(InputStream in, PrintStream out, PrintStream err, String... args) {
        return ServiceLauncher.run(commandLine(in, out, err), out, err, args);
    }

    static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                if (type == TcpClientCommand.class) {
                    return (K) new TcpClientCommand(in);
                }
                if (type == UdpClientCommand.class) {
                    return (K) new UdpClientCommand(in);
                }
                if (type == EmbedCommand.class) {
                    return (K) new EmbedCommand(in);
                }
                return defaults.create(type);
            }
        };
        return new CommandLine(new Main(), factory)
                .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    }

    /** Without a subcommand: says which there are, and fails as a bad command line. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("samples: missing command");
        spec.commandLine().usage(err);
        return CommandLine.ExitCode.USAGE;
    }
}
