package io.netserve.cli;

import io.netserve.core.config.ServerConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslProvider;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The TLS options of a TCP service, as a picocli mixin: {@code --tls-cert} and {@code --tls-key}
 * (both or neither) turn TLS on; {@code --tls-client-ca}, {@code --tls-client-auth} and
 * {@code --tls-provider} refine it. Options that do not fit together are a command-line error
 * naming them (exit status 2); files are read when the server starts, and one that cannot be
 * used stops the start naming it (exit status 1).
 *
 * <pre>{@code
 * @Mixin TlsOptions tls;
 * ...
 * tls.applyTo(common.toBuilder());
 * }</pre>
 */
public final class TlsOptions {

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve TLS 1.3 and 1.2 (nothing older) with this PEM certificate chain, leaf first; "
                    + "needs --tls-key. Replaced files are taken within 10s. Default: off.")
    Path certificateChain;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The PEM private key of --tls-cert: PKCS#8, or the traditional RSA or EC form; "
                    + "not encrypted.")
    Path privateKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "PEM bundle of the CAs that client certificates must chain to. Default: none.")
    Path clientCa;

    @Option(names = "--tls-client-auth", paramLabel = "none|optional|require",
            converter = Converters.ClientAuthConverter.class,
            description = "Ask for client certificates. Default: require with --tls-client-ca, else none.")
    ClientAuth clientAuth;

    @Option(names = "--tls-provider", paramLabel = "auto|openssl|jdk", converter = Converters.TlsProviderConverter.class,
            description = "TLS implementation; auto takes OpenSSL (BoringSSL) when it loads, else the JDK's. "
                    + "Default: auto.")
    SslProvider provider;

    /** Sets these options on {@code builder}; options that do not fit together are reported naming them. */
    public ServerConfig.Builder applyTo(ServerConfig.Builder builder) {
        Validation.combination(certificateChain == null || privateKey != null, "--tls-cert needs --tls-key (give both or neither)");
        Validation.combination(privateKey == null || certificateChain != null, "--tls-key needs --tls-cert (give both or neither)");
        Validation.combination(clientCa == null || certificateChain != null, "--tls-client-ca needs --tls-cert and --tls-key");
        Validation.combination(provider == null || certificateChain != null, "--tls-provider needs --tls-cert and --tls-key");
        boolean asksForCertificates = clientAuth == ClientAuth.OPTIONAL || clientAuth == ClientAuth.REQUIRE;
        Validation.combination(clientCa != null || !asksForCertificates, "--tls-client-auth "
                + (clientAuth == null ? "" : clientAuth.name().toLowerCase(Locale.ROOT))
                + " needs --tls-client-ca (the CA bundle client certificates must chain to)");
        return builder.tls(certificateChain, privateKey).tlsClientCa(clientCa).tlsClientAuth(clientAuth)
                .tlsProvider(provider);
    }
}
