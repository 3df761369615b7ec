package dev.jsync.store;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The column families of the RocksDB store and the store's own bookkeeping keys (the full
 * layout, with diagrams, is in {@code docs/store.md}). Constants only.
 *
 * <pre>
 * column family  key                         value
 * default        "format-version"            i32: the disk format version (3)
 *                "last-sequence"             i64: highest local sequence ever given
 * local          path                        local value (record + disk stat)
 * sequence       i64 sequence                path: the local key holding that sequence
 * remote         peer id (32) + path         record
 * position       peer id (32)                position value
 * block          SHA-256 (32) + path         block value (offset, length)
 * meta           UTF-8 key                   the embedder's bytes
 * marks          'e' + path                  version vector of the tombstone that expired there
 *                'd' + path                  (empty): a folder made only to hold a download
 * </pre>
 */
final class StoreLayout {

  /** The format this code writes; a store with a higher version is refused. */
  static final int FORMAT_VERSION = 3;

  static final String DEFAULT = "default";
  static final String LOCAL = "local";
  static final String SEQUENCE = "sequence";
  static final String REMOTE = "remote";
  static final String POSITION = "position";
  static final String BLOCK = "block";
  static final String META = "meta";
  /** Since format 2: per-path notes of the local side that are not entries (expired tombstones, download folders). */
  static final String MARKS = "marks";

  /** Every column family of format 2, in the order handles are kept. */
  static final List<String> COLUMN_FAMILIES = List.of(DEFAULT, LOCAL, SEQUENCE, REMOTE, POSITION, BLOCK, META,
      MARKS);

  /** The column families a format 1 store has: format 2 added {@link #MARKS}, created when one is opened. */
  static final List<String> FORMAT_1_COLUMN_FAMILIES = List.of(DEFAULT, LOCAL, SEQUENCE, REMOTE, POSITION, BLOCK,
      META);

  /** In {@code default}. */
  static final byte[] FORMAT_VERSION_KEY = "format-version".getBytes(StandardCharsets.US_ASCII);

  /** In {@code default}. */
  static final byte[] LAST_SEQUENCE_KEY = "last-sequence".getBytes(StandardCharsets.US_ASCII);

  private StoreLayout() {}
}
