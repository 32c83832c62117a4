package io.netserve.cli;

import ch.qos.logback.classic.Level;
import io.netserve.core.config.Durations;
import io.netserve.core.Transport;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslProvider;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** picocli converters for the value types of netserve's command lines. */
public final class Converters {

    private Converters() {
    }

    /** A DURATION: {@code 250ms}, {@code 30s}, {@code 5m}, or {@code 0}. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * A number of BYTES, plain or with a binary suffix: {@code 1048576}, {@code 64k}, {@code 64m},
     * {@code 1g} (k, m, g are 1024, 1024², 1024³).
     */
    public static final class ByteSizeConverter implements ITypeConverter<Long> {
        private static final Pattern FORMAT = Pattern.compile("(\\d{1,15})([kmg]?)");

        @Override
        public Long convert(String value) {
            Matcher m = FORMAT.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a size: use a whole number of bytes, "
                        + "or one with k, m or g (64m)");
            }
            int shift = switch (m.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 0;
            };
            return Long.parseLong(m.group(1)) << shift;
        }
    }

    /** A transport name: {@code auto}, {@code nio}, {@code epoll}, {@code io_uring} or {@code kqueue}. */
    public static final class TransportConverter implements ITypeConverter<Transport> {
        @Override
        public Transport convert(String value) {
            try {
                return Transport.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A client authentication mode: {@code none}, {@code optional} or {@code require}. */
    public static final class ClientAuthConverter implements ITypeConverter<ClientAuth> {
        @Override
        public ClientAuth convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> ClientAuth.NONE;
                case "optional" -> ClientAuth.OPTIONAL;
                case "require" -> ClientAuth.REQUIRE;
                default -> throw new TypeConversionException("'" + value + "' is not a client authentication mode: "
                        + "use none, optional or require");
            };
        }
    }

    /**
     * A TLS provider: {@code openssl}, {@code jdk}, or {@code auto}, which is {@code null}: OpenSSL
     * when it loads, else the JDK's.
     */
    public static final class TlsProviderConverter implements ITypeConverter<SslProvider> {
        @Override
        public SslProvider convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> null;
                case "openssl" -> SslProvider.OPENSSL;
                case "jdk" -> SslProvider.JDK;
                default -> throw new TypeConversionException("'" + value + "' is not a TLS provider: "
                        + "use auto, openssl or jdk");
            };
        }
    }

    /** A log format: {@code text} or {@code json}. */
    static final class LogFormatConverter implements ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            for (LogFormat f : LogFormat.values()) {
                if (f.cliName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a log format: use text or json");
        }
    }

    /** A log level: {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace}. */
    static final class LogLevelConverter implements ITypeConverter<Level> {
        private static final Pattern LEVELS = Pattern.compile("error|warn|info|debug|trace");

        @Override
        public Level convert(String value) {
            String name = value.trim().toLowerCase(Locale.ROOT);
            if (!LEVELS.matcher(name).matches()) {
                throw new TypeConversionException("'" + value + "' is not a log level: use error, warn, info, debug "
                        + "or trace");
            }
            return Level.toLevel(name.toUpperCase(Locale.ROOT));
        }
    }
}
