package io.netserve.cli;

import java.util.Locale;

/** What {@code --log-format} chooses: each log event as one line of text, or as one JSON object a line. */
enum LogFormat {
    /** {@code 2026-01-01T12:00:00.000 INFO  [thread] Logger - message}. */
    TEXT,
    /** One JSON object a line: timestamp, level, logger, thread, message, and the event's key-value pairs. */
    JSON;

    /** The name on the command line. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
