package dev.jsync.protocol;

import dev.jsync.core.BlockInfo;

/** Constants of protocol version {@value #VERSION}: what both ends must agree on. */
public final class Protocol {

  /** The protocol version this module speaks. */
  public static final int VERSION = 3;

  /**
   * Default and usual maximum size of one frame's payload: 16 MiB. One index record of a file
   * carries 32 bytes per 128 KiB block, so a single record fits files up to about 60 GiB; larger
   * files cannot be described in protocol version 1 (see docs/protocol.md).
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  /** Most records one index update may carry; bounds the objects one frame can create. */
  public static final int MAX_RECORDS_PER_UPDATE = 10_000;

  /**
   * Most entries one record's version vector may hold: two per device (its own id and its
   * adoption id), for far more devices than a cluster has.
   */
  public static final int MAX_VERSION_ENTRIES_PER_RECORD = 1024;

  /**
   * Most version-vector entries one index update may hold in all. An entry is 40 bytes on the
   * wire but several times that once decoded, so without this bound one frame of 16 MiB could
   * become some 100 MB of objects. A sender's batches are at most 1 MiB (about 26,000 entries)
   * except a single record of a very large file, whose size is its block list.
   */
  public static final int MAX_VERSION_ENTRIES_PER_UPDATE = 65_536;

  /** Most inline blocks one index update may carry. */
  public static final int MAX_INLINE_BLOCKS_PER_UPDATE = 10_000;

  /**
   * Largest frame payload accepted before authentication: the handshake's messages are far
   * smaller, and a stranger gets no more than this to make a node decode.
   */
  public static final int MAX_HANDSHAKE_FRAME_BYTES = 512;

  /** Largest block a request may ask for and a response may carry. */
  public static final int MAX_BLOCK_BYTES = BlockInfo.SIZE;

  /** Length of an authentication nonce. */
  public static final int NONCE_BYTES = 32;

  /**
   * Length of an EC J-PAKE round 1 payload on P-256: two compressed points (33 bytes each) and
   * two Schnorr proofs (a compressed point and a 32-byte scalar each).
   */
  public static final int PAKE_ROUND1_BYTES = 2 * 33 + 2 * (33 + 32);

  /** Length of an EC J-PAKE round 2 payload: one compressed point and one Schnorr proof. */
  public static final int PAKE_ROUND2_BYTES = 33 + 33 + 32;

  /** Length of a key confirmation (HMAC-SHA256). */
  public static final int CONFIRMATION_BYTES = 32;

  /** Longest device name accepted in a hello, in characters. */
  public static final int MAX_DEVICE_NAME_CHARS = 255;

  /** Longest free-text detail (close reasons, block errors) kept; longer text is cut. */
  public static final int MAX_DETAIL_CHARS = 1024;

  private Protocol() {
  }
}
