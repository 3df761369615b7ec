package dev.jsync.store.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The column families of the RocksDB store and the store's own bookkeeping keys (the full
 * layout, with diagrams, is in {@code docs/store.md}). Constants only.
 *
 * <pre>
 * column family  key                         value
 * default        "format-version"            i32: the disk format version (1)
 *                "last-sequence"             i64: highest local sequence ever given
 * local          path                        local value (record + disk stat)
 * sequence       i64 sequence                path: the local key holding that sequence
 * remote         peer id (32) + path         record
 * position       peer id (32)                position value
 * block          SHA-256 (32) + path         block value (offset, length)
 * meta           UTF-8 key                   the embedder's bytes
 * </pre>
 */
public final class StoreLayout {

  /** The format this code writes; a store with a higher version is refused. */
  public static final int FORMAT_VERSION = 1;

  public static final String DEFAULT = "default";
  public static final String LOCAL = "local";
  public static final String SEQUENCE = "sequence";
  public static final String REMOTE = "remote";
  public static final String POSITION = "position";
  public static final String BLOCK = "block";
  public static final String META = "meta";

  /** Every column family of format 1, in the order handles are kept. */
  public static final List<String> COLUMN_FAMILIES = List.of(DEFAULT, LOCAL, SEQUENCE, REMOTE, POSITION, BLOCK, META);

  /** In {@code default}. */
  public static final byte[] FORMAT_VERSION_KEY = "format-version".getBytes(StandardCharsets.US_ASCII);

  /** In {@code default}. */
  public static final byte[] LAST_SEQUENCE_KEY = "last-sequence".getBytes(StandardCharsets.US_ASCII);

  private StoreLayout() {}
}
