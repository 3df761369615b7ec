package dev.jsync.store;

/**
 * Bytes read from the store do not decode as the format says they should: a bug, a disk
 * fault or a store written by something else. The store turns it into a
 * {@code StoreException} naming the column family and key.
 */
final class CorruptDataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CorruptDataException(String message) {
    super(message);
  }

  CorruptDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
