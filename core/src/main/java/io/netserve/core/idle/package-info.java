/**
 * Idle connections: finding them without being fooled by slow readers
 * ({@link io.netserve.core.idle.IdleDetectionHandler}) and what happens to them
 * ({@link io.netserve.core.idle.IdlePolicyHandler}).
 */
package io.netserve.core.idle;
