/**
 * The end-to-end load generator ({@link io.netserve.bench.load.LoadGenerator}): Netty clients on
 * the native transport that drive an echo server through one scenario (TCP throughput, latency
 * and connection rate, UDP throughput and latency, many idle connections), check every echoed
 * byte, and print a short table and one {@code RESULT} JSON line. It must never be the bottleneck:
 * one event loop, no allocation per message beyond Netty's own, one flush per read batch.
 */
package io.netserve.bench.load;
