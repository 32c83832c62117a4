/**
 * Flow control: stop reading while a peer does not read
 * ({@link io.netserve.core.flow.BackpressureHandler}), and close a peer that stopped reading for
 * good ({@link io.netserve.core.flow.WriteStallHandler}).
 */
package io.netserve.core.flow;
