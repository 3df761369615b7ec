/** The index store on RocksDB. */
package dev.jsync.store;
