/**
 * What happens to idle TCP connections: {@link io.netserve.core.idle.IdlePolicy}, a small handler
 * a protocol may replace, with core's default that closes them.
 */
package io.netserve.core.idle;
