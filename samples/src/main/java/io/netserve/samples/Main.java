package io.netserve.samples;

import io.netserve.core.cli.ServiceCommand;
import io.netserve.core.cli.ServiceLauncher;
import io.netserve.core.cli.VersionProvider;
import io.netserve.samples.chat.ChatServerCommand;
import io.netserve.samples.client.TcpClientCommand;
import io.netserve.samples.embed.EmbedCommand;
import io.netserve.samples.kv.KvClientCommand;
import io.netserve.samples.kv.KvServerCommand;
import io.netserve.samples.upper.UpperServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code samples.jar}: the samples as picocli subcommands. A server subcommand (a
 * {@link ServiceCommand}) runs through core's {@link ServiceLauncher}, with the exit statuses and
 * the {@code listening on} line of every netserve service; the other subcommands run here, with
 * the same conventions (2 and a hint to {@code --help} for a bad command line).
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
                KvClientCommand.class, TcpClientCommand.class, EmbedCommand.class})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Runs the subcommand named by the first argument and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(System.in, new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true), args));
    }

    /**
     * Runs the subcommand named by {@code args[0]} with the rest of {@code args}, the clients
     * reading {@code in} and printing to {@code out} and {@code err}; returns the exit status.
     * Server subcommands run until a termination signal and print through {@link ServiceLauncher}
     * to the process's own standard output and error.
     */
    static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(in, out, err);
        if (args.length > 0) {
            CommandLine sub = cli.getSubcommands().get(args[0]);
            if (sub != null && sub.getCommand() instanceof ServiceCommand service) {
                return ServiceLauncher.run(service, Arrays.copyOfRange(args, 1, args.length));
            }
        }
        return cli.execute(args);
    }

    static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                if (type == TcpClientCommand.class) {
                    return (K) new TcpClientCommand(in);
                }
                if (type == EmbedCommand.class) {
                    return (K) new EmbedCommand(in);
                }
                return defaults.create(type);
            }
        };
        return new CommandLine(new Main(), factory)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, args) -> {
                    String name = e.getCommandLine().getCommandSpec().qualifiedName();
                    PrintWriter w = e.getCommandLine().getErr();
                    w.println(name + ": " + e.getMessage());
                    w.println("Try '" + name + " --help' for more information.");
                    w.flush();
                    return CommandLine.ExitCode.USAGE;
                });
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
