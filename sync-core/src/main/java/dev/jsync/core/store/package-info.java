/**
 * The index store the engine persists to: {@link dev.jsync.core.store.IndexStore}, changed only
 * through atomic {@link dev.jsync.core.store.StoreBatch}es.
 */
package dev.jsync.core.store;
