package io.netserve.samples.client;

import io.netserve.core.config.ClientConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * The TLS options of the sample TCP clients, as a picocli mixin: {@code --tls}, and the trust
 * bundle and client certificate, each of which turns TLS on by itself. The server's certificate
 * must chain to {@code --tls-ca} (or the JDK's trust store) and name {@code --host}.
 *
 * <pre>{@code
 * @Mixin TlsClientOptions tls;
 * ...
 * ClientConfig config = tls.applyTo(connection.config()).build();
 * }</pre>
 */
public final class TlsClientOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--tls", description = "Speak TLS (1.3 or 1.2); the server's certificate must name --host.")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "PEM bundle of the CAs the server's certificate must chain to; implies --tls. "
                    + "Default: the JDK's trust store.")
    Path ca;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM client certificate chain, for servers that ask for one; with --tls-key; implies --tls.")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key of --tls-cert (PKCS#8, or the traditional RSA or EC form).")
    Path key;

    /**
     * Turns TLS on in {@code config} as the options say, and returns it.
     *
     * @throws ParameterException if only one of {@code --tls-cert} and {@code --tls-key} is given
     */
    public ClientConfig.Builder applyTo(ClientConfig.Builder config) {
        if ((cert == null) != (key == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together: give both or neither");
        }
        if (tls || ca != null || cert != null) {
            config.tls(true).tlsTrustBundle(ca).tlsKeyPair(cert, key);
        }
        return config;
    }
}
