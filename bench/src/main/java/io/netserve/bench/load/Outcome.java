package io.netserve.bench.load;

/** How a run ended, and the exit status it gives the load generator. */
enum Outcome {
    /** The run went to its end and every echo matched. */
    OK(0, "ok"),
    /** The server refused, closed a connection, failed or stopped answering. */
    SERVER_FAILED(1, "server-failed"),
    /** An echo differed from what was sent: a wrong echo is never a fast one. */
    MISMATCH(3, "mismatch");

    private final int exitStatus;
    private final String label;

    Outcome(int exitStatus, String label) {
        this.exitStatus = exitStatus;
        this.label = label;
    }

    int exitStatus() {
        return exitStatus;
    }

    String label() {
        return label;
    }
}
