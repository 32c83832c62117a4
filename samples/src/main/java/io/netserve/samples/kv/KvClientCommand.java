package io.netserve.samples.kv;

import io.netserve.cli.VersionProvider;
import io.netserve.samples.client.ClientException;
import io.netserve.samples.client.ClientOptions;
import io.netserve.samples.client.TlsClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code kv-client}: one request to a {@code kv-server}. Prints a GET's value, or {@code OK} for a
 * SET or DEL done. Exit status 0 done; 3 key not found; 1 refused, timed out, closed, or the store
 * is full; 2 bad command line.
 */
@Command(name = "kv-client", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Sends one request to a kv-server: 'get KEY' prints the value, 'set KEY VALUE' and 'del KEY' "
                + "print OK.",
                "Exit status: 0 done; 3 key not found; 1 refused, timed out, closed or store full; 2 bad command line."})
public final class KvClientCommand implements Callable<Integer> {

    /** Exit status for a key that is not set. */
    public static final int NOT_FOUND = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions connection;

    @Mixin
    TlsClientOptions tls;

    @Option(names = "--max-frame", paramLabel = "BYTES", defaultValue = "" + KvProtocol.DEFAULT_MAX_FRAME,
            description = "Longest frame payload sent or accepted, as the server's --max-frame. Default: ${DEFAULT-VALUE}.")
    int maxFrame;

    @Parameters(index = "0", paramLabel = "get|set|del", description = "The operation.")
    String operation;

    @Parameters(index = "1", paramLabel = "KEY", description = "The key (UTF-8).")
    String key;

    @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE", description = "The value to set (UTF-8); set only.")
    String value;

    @Override
    public Integer call() {
        KvRequest request = request();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (KvClient kv = KvClient.connect(tls.applyTo(connection.config()).build(), maxFrame)) {
            KvResponse response = kv.send(request);
            switch (response.status()) {
                case OK -> out.println(request.op() == KvRequest.Op.GET
                        ? new String(response.value(), StandardCharsets.UTF_8) : "OK");
                case NOT_FOUND -> err.println(spec.qualifiedName() + ": " + key + ": not found");
                case FULL -> err.println(spec.qualifiedName() + ": the store is full: " + key + " not set");
            }
            return switch (response.status()) {
                case OK -> 0;
                case NOT_FOUND -> NOT_FOUND;
                case FULL -> 1;
            };
        } catch (ClientException | IOException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private KvRequest request() {
        KvRequest.Op op;
        try {
            op = KvRequest.Op.valueOf(operation.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("unknown operation '" + operation + "': expected get, set or del");
        }
        if ((op == KvRequest.Op.SET) != (value != null)) {
            throw usage(op == KvRequest.Op.SET ? "set needs a VALUE" : operation + " takes no VALUE");
        }
        int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes == 0 || keyBytes > KvWire.MAX_KEY_BYTES) {
            throw usage("a KEY is 1 to " + KvWire.MAX_KEY_BYTES + " bytes of UTF-8, was " + keyBytes);
        }
        KvRequest request = new KvRequest(op, key, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
        int size = KvWire.requestSize(request);
        if (size > maxFrame) {
            throw usage("the request takes " + size + " bytes, more than --max-frame " + maxFrame);
        }
        return request;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
