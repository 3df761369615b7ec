/**
 * Test doubles and a deterministic simulator for jSync: fake clocks, in-memory stores, a
 * simulated network and jqwik generators. Start with {@link dev.jsync.testkit.FakeClock},
 * {@link dev.jsync.testkit.InMemoryIndexStore}, and {@link dev.jsync.testkit.IndexStoreContract},
 * the test suite every {@code IndexStore} implementation extends.
 */
package dev.jsync.testkit;
