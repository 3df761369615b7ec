/**
 * Test doubles and a deterministic simulator for jSync. Start with
 * {@link dev.jsync.testkit.SimulatedCluster} (a whole cluster in one thread, in virtual time,
 * with faults and the design's invariants as assertions), {@link dev.jsync.testkit.Scenario}
 * (a replayable run), {@link dev.jsync.testkit.SyncArbitraries} (the jqwik generators) and
 * {@link dev.jsync.testkit.ResolverProperties} (ready-made properties for a conflict
 * resolver); docs/testkit.md walks through them. The smaller pieces: {@link
 * dev.jsync.testkit.InMemoryIndexStore} and {@link dev.jsync.testkit.IndexStoreContract}, the
 * suite every {@code IndexStore} implementation extends, and {@link
 * dev.jsync.testkit.FakeClock}.
 */
package dev.jsync.testkit;
