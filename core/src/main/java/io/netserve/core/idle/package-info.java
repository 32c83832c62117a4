/**
 * Idle-connection policies: what happens once Netty's
 * {@link io.netty.handler.timeout.IdleStateHandler} finds a connection idle.
 */
package io.netserve.core.idle;
