package io.netserve.core.idle;

/** What becomes of a connection that the idle timeouts find idle. */
public enum IdlePolicy {
    /** Close it, count it and log it. The default: an idle connection is a held resource. */
    CLOSE,
    /**
     * Hand the {@link io.netty.handler.timeout.IdleStateEvent} on to the protocol's handlers,
     * for protocols that ping or warn before they close.
     */
    NOTIFY
}
