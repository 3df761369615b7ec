package dev.jsync.store;

import org.rocksdb.ColumnFamilyHandle;

/**
 * The handles of the store's column families (see {@link StoreLayout}). Immutable; the handles
 * themselves are owned and closed by the store.
 */
record ColumnFamilies(
    ColumnFamilyHandle store,
    ColumnFamilyHandle local,
    ColumnFamilyHandle sequence,
    ColumnFamilyHandle remote,
    ColumnFamilyHandle position,
    ColumnFamilyHandle block,
    ColumnFamilyHandle meta,
    ColumnFamilyHandle marks) {}
