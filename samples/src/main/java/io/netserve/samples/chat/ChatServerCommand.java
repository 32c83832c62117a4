package io.netserve.samples.chat;

import io.netserve.cli.CommonOptions;
import io.netserve.cli.Converters;
import io.netserve.cli.ServiceCommand;
import io.netserve.cli.TcpOptions;
import io.netserve.cli.TlsOptions;
import io.netserve.cli.Validation;
import io.netserve.cli.VersionProvider;
import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerStartException;
import io.netserve.core.tcp.TcpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code chat-server}: serves {@link ChatProtocol}. */
@Command(name = "chat-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"A line-based chat room. Send '/nick NAME' to join; other lines go to everyone as '<NAME> text'; "
                + "'/who' lists members, '/quit' leaves.",
                "A member silent for the idle timeout gets a warning line, and is disconnected if still silent "
                + "after as long again. A line over --max-line bytes gets an error line and closes that connection."})
public final class ChatServerCommand implements ServiceCommand {

    @Mixin
    CommonOptions common;

    @Mixin
    TcpOptions limits;

    @Mixin
    TlsOptions tls;

    @Option(names = "--max-line", paramLabel = "BYTES", defaultValue = "" + ChatProtocol.DEFAULT_MAX_LINE,
            description = "Longest line accepted, 16 to 65536. Default: ${DEFAULT-VALUE}.")
    int maxLine;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5m",
            converter = Converters.DurationConverter.class,
            description = "Silence before the warning, and as long again before the close; 0 turns it off. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Override
    public TcpServer start() throws ServerStartException {
        ChatProtocol chat = Validation.value("--max-line",
                () -> new ChatProtocol(new ChatRoom(), maxLine, idleTimeout));
        ServerConfig.Builder b = common.toBuilder();
        Validation.option("--idle-timeout", () -> chat.applyTo(b));
        limits.applyTo(b);
        tls.applyTo(b);
        return TcpServer.start(b.build(), chat);
    }
}
