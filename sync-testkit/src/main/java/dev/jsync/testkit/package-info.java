/**
 * Test doubles and a deterministic simulator for jSync: fake clocks, in-memory stores, a
 * simulated network and jqwik generators. Start with {@link dev.jsync.testkit.FakeClock}.
 */
package dev.jsync.testkit;
