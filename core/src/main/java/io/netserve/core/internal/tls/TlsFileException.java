package io.netserve.core.internal.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A certificate, key or CA file that cannot be used: missing, unreadable, not PEM, a key that
 * does not match its certificate, a certificate outside its validity period. The message is the
 * one line an operator reads, {@code "<file>: <reason>"}; callers print it, not a stack trace.
 */
public final class TlsFileException extends Exception {

    private final transient Path file;
    private final String reason;

    /** A failure of {@code file} for {@code reason} (lower case, no trailing period). */
    public TlsFileException(Path file, String reason) {
        super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(reason, "reason"));
        this.file = file;
        this.reason = reason;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String reason() {
        return reason;
    }
}
