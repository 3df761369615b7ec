/**
 * JMH microbenchmarks of jSync's hot paths: hashing, scanning, framing, the store and the
 * reconciliation rule. Run {@code java -jar sync-bench/target/benchmarks.jar}; see
 * docs/benchmarks.md.
 */
package dev.jsync.bench;
