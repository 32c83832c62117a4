/**
 * Benchmarks: JMH micro-benchmarks of handler hot paths and an end-to-end echo load generator
 * ({@link io.netserve.bench.LoadGenerator}). Figures are reported as ratios to a baseline
 * measured in the same run.
 */
package io.netserve.bench;
