package io.netserve.cli;

import io.netserve.core.config.ServerConfig;
import io.netserve.core.server.ServerHandle;
import io.netserve.core.server.ServerStartException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TlsOptions} parsed as a service's command line, and {@code --version} with TLS. */
class TlsOptionsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private TlsService service;

    @Test
    void tlsIsOffWithoutOptions() {
        assertThat(run()).isEqualTo(1);

        assertThat(service.started.tls()).isFalse();
        assertThat(service.started.tlsProvider()).isEmpty();
        assertThat(service.started.tlsClientAuth()).isEqualTo(ClientAuth.NONE);
    }

    @Test
    void certificateAndKeyTurnTlsOn() {
        assertThat(run("--tls-cert", "tls.crt", "--tls-key", "tls.key")).isEqualTo(1);

        ServerConfig c = service.started;
        assertThat(c.tls()).isTrue();
        assertThat(c.tlsCertificateChain()).contains(Path.of("tls.crt"));
        assertThat(c.tlsPrivateKey()).contains(Path.of("tls.key"));
        assertThat(c.tlsClientCa()).isEmpty();
        assertThat(c.tlsClientAuth()).isEqualTo(ClientAuth.NONE);
        assertThat(c.tlsProvider()).as("auto").isEmpty();
    }

    @Test
    void aClientCaRequiresClientCertificatesUnlessToldOtherwise() {
        run("--tls-cert", "tls.crt", "--tls-key", "tls.key", "--tls-client-ca", "ca.pem");
        assertThat(service.started.tlsClientCa()).contains(Path.of("ca.pem"));
        assertThat(service.started.tlsClientAuth()).isEqualTo(ClientAuth.REQUIRE);

        run("--tls-cert", "tls.crt", "--tls-key", "tls.key", "--tls-client-ca", "ca.pem", "--tls-client-auth", "optional");
        assertThat(service.started.tlsClientAuth()).isEqualTo(ClientAuth.OPTIONAL);

        run("--tls-cert", "tls.crt", "--tls-key", "tls.key", "--tls-client-ca", "ca.pem", "--tls-client-auth", "none");
        assertThat(service.started.tlsClientAuth()).isEqualTo(ClientAuth.NONE);
    }

    @Test
    void theProviderIsSelectable() {
        run("--tls-cert", "tls.crt", "--tls-key", "tls.key", "--tls-provider", "jdk");
        assertThat(service.started.tlsProvider()).contains(SslProvider.JDK);
        run("--tls-cert", "tls.crt", "--tls-key", "tls.key", "--tls-provider", "openssl");
        assertThat(service.started.tlsProvider()).contains(SslProvider.OPENSSL);
        run("--tls-cert", "tls.crt", "--tls-key", "tls.key", "--tls-provider", "auto");
        assertThat(service.started.tlsProvider()).isEmpty();
    }

    @Test
    void aCertificateWithoutAKeyIsAUsageErrorNamingBoth() {
        assertThat(run("--tls-cert", "tls.crt")).isEqualTo(2);
        assertThat(err()).isEqualTo("tls-service: --tls-cert needs --tls-key (give both or neither)\n"
                + "Try 'tls-service --help' for more information.\n");
        err.reset();

        assertThat(run("--tls-key", "tls.key")).isEqualTo(2);
        assertThat(err()).startsWith("tls-service: --tls-key needs --tls-cert (give both or neither)\n");
    }

    @Test
    void clientAuthenticationWithoutAClientCaIsAUsageErrorNamingBoth() {
        assertThat(run("--tls-cert", "tls.crt", "--tls-key", "tls.key", "--tls-client-auth", "require")).isEqualTo(2);
        assertThat(err()).startsWith("tls-service: --tls-client-auth require needs --tls-client-ca");
        err.reset();

        assertThat(run("--tls-cert", "tls.crt", "--tls-key", "tls.key", "--tls-client-auth", "optional")).isEqualTo(2);
        assertThat(err()).startsWith("tls-service: --tls-client-auth optional needs --tls-client-ca");
        err.reset();

        assertThat(run("--tls-client-ca", "ca.pem")).isEqualTo(2);
        assertThat(err()).startsWith("tls-service: --tls-client-ca needs --tls-cert and --tls-key");
    }

    @Test
    void aTlsProviderWithoutACertificateIsAUsageError() {
        assertThat(run("--tls-provider", "openssl")).isEqualTo(2);
        assertThat(err()).startsWith("tls-service: --tls-provider needs --tls-cert and --tls-key\n");
    }

    @Test
    void unknownModesAreUsageErrorsListingTheChoices() {
        assertThat(run("--tls-client-auth", "maybe")).isEqualTo(2);
        assertThat(err()).contains("'--tls-client-auth'", "use none, optional or require", "--help");
        err.reset();

        assertThat(run("--tls-provider", "boringssl")).isEqualTo(2);
        assertThat(err()).contains("'--tls-provider'", "use auto, openssl or jdk", "--help");
    }

    @Test
    void helpListsTheTlsOptions() {
        StringWriter help = new StringWriter();
        CommandLine cli = ServiceLauncher.commandLine(new TlsService());
        cli.getCommandSpec().usageMessage().width(200);
        cli.usage(new PrintWriter(help));

        assertThat(help.toString()).contains("--tls-cert=FILE", "--tls-key=FILE", "--tls-client-ca=FILE",
                "--tls-client-auth=none|optional|require", "--tls-provider=auto|openssl|jdk",
                "Default: require with --tls-client-ca, else none.", "Default: auto.");
    }

    @Test
    void versionListsTheTlsProvidersAfterTheTransports() {
        assertThat(run("--version")).isZero();
        assertThat(out()).containsPattern("(?s)transports:\n.*  nio: available\ntls providers:\n"
                + "  openssl: (available \\(.+\\)|unavailable \\(.+\\))\n  jdk: available\n$");
    }

    @Test
    void versionOfAServiceWithoutTlsDoesNotListTheProviders() {
        ServiceLauncher.run(ServiceLauncher.commandLine(new PlainService()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "--version");
        assertThat(out()).contains("transports:").doesNotContain("tls providers:");
    }

    /** Runs a new command, as each process would. */
    private int run(String... args) {
        service = new TlsService();
        return ServiceLauncher.run(ServiceLauncher.commandLine(service), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    /** A service that maps its TLS options like a real one, then stops before binding. */
    @Command(name = "tls-service", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
    static final class TlsService implements ServiceCommand {

        @Mixin
        CommonOptions common;

        @Mixin
        TlsOptions tls;

        ServerConfig started;

        @Override
        public ServerHandle start() throws ServerStartException {
            started = tls.applyTo(common.toBuilder()).build();
            throw new ServerStartException("stop here", null);
        }
    }

    /** A service without TLS options. */
    @Command(name = "plain-service", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
    static final class PlainService implements ServiceCommand {

        @Mixin
        CommonOptions common;

        @Override
        public ServerHandle start() throws ServerStartException {
            throw new ServerStartException("stop here", null);
        }
    }
}
