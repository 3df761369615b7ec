/**
 * The RocksDB store's internals: the disk format ({@link dev.jsync.store.internal.RecordCodec},
 * {@link dev.jsync.store.internal.Keys}), the translation of a batch into one RocksDB write
 * ({@link dev.jsync.store.internal.BatchWriter}), the state-folder lock and the native options.
 * Public only so that {@code dev.jsync.store} can use them; not an API.
 */
package dev.jsync.store.internal;
