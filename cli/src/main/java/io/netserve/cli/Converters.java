package io.netserve.cli;

import io.netserve.core.config.Durations;
import io.netserve.core.Transport;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

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

    /** A transport name: {@code auto}, {@code nio}, {@code epoll} or {@code io_uring}. */
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
}
