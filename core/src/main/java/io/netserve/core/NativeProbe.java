package io.netserve.core;

import java.util.Optional;
import java.util.function.Supplier;

/** Asks a native transport whether it loads, turning a missing class into a reason too. */
final class NativeProbe {

    private NativeProbe() {
    }

    static Optional<Throwable> cause(Supplier<Throwable> probe) {
        try {
            return Optional.ofNullable(probe.get());
        } catch (LinkageError e) {
            return Optional.of(e);
        }
    }

    /** The innermost message of a loader's cause, as one line. */
    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replace('\n', ' ');
    }
}
