package dev.jsync.store.internal;

/**
 * Bytes read from the store do not decode as the format says they should: a bug, a disk
 * fault or a store written by something else. The store turns it into a
 * {@code StoreException} naming the column family and key.
 */
public final class CorruptDataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CorruptDataException(String message) {
    super(message);
  }

  public CorruptDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
