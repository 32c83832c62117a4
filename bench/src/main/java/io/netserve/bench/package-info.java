/**
 * Benchmarks: JMH micro-benchmarks of handler hot paths. The end-to-end tools live beside them:
 * the load generator in {@code io.netserve.bench.load} and the bare Netty echo baseline in
 * {@code io.netserve.bench.baseline}. Figures are reported as ratios to a baseline measured in
 * the same run.
 */
package io.netserve.bench;
