/**
 * The in-repo baseline for end-to-end benchmarks: a bare TCP and UDP echo server on Netty 4.2
 * ({@link io.netserve.bench.baseline.BareNettyEcho}), what a user would write without netserve.
 * netserve's figures are reported as ratios to it, measured in the same run.
 */
package io.netserve.bench.baseline;
