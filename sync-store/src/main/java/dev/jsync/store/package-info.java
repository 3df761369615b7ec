/**
 * The index store on RocksDB. Start with {@link dev.jsync.store.RocksDbIndexStore#open}; the
 * layouts, durability and memory settings are described in {@code docs/store.md}.
 */
package dev.jsync.store;
