package io.netserve.samples.kv;

import io.netserve.cli.CommonOptions;
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


/** {@code kv-server}: serves {@link KvProtocol} from a new, empty {@link KvStore}. */
@Command(name = "kv-server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"An in-memory key-value store over a length-prefixed binary protocol (GET, SET, DEL); "
                + "see kv-client.",
                "A frame over --max-frame bytes, or malformed, closes that connection with one logged line; "
                + "the server goes on."})
public final class KvServerCommand implements ServiceCommand {

    @Mixin
    CommonOptions common;

    @Mixin
    TcpOptions limits;

    @Mixin
    TlsOptions tls;

    @Option(names = "--max-frame", paramLabel = "BYTES", defaultValue = "" + KvProtocol.DEFAULT_MAX_FRAME,
            description = "Longest frame payload accepted, 16 to 16777216. Default: ${DEFAULT-VALUE}.")
    int maxFrame;

    @Option(names = "--max-keys", paramLabel = "N", defaultValue = "" + KvStore.DEFAULT_MAX_KEYS,
            description = "Most keys the store holds; a SET of one more is refused. Default: ${DEFAULT-VALUE}.")
    int maxKeys;

    @Override
    public TcpServer start() throws ServerStartException {
        KvStore store = Validation.value("--max-keys", () -> new KvStore(maxKeys));
        KvProtocol kv = Validation.value("--max-frame", () -> new KvProtocol(store, maxFrame));
        ServerConfig.Builder b = common.toBuilder();
        limits.applyTo(b);
        tls.applyTo(b);
        return TcpServer.start(b.build(), kv);
    }
}
