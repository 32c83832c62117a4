/**
 * A UDP protocol with per-peer state: {@link io.netserve.samples.counter.CounterHandler} counts
 * each peer's datagrams in a session of core's
 * {@link io.netserve.core.udp.SessionDatagramHandler}; {@code udp-counter-server}
 * ({@link io.netserve.samples.counter.UdpCounterServerCommand}) serves it.
 */
package io.netserve.samples.counter;
