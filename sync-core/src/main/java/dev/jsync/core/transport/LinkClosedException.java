package dev.jsync.core.transport;

/** A {@link PeerLink} closed before an operation on it completed. */
public final class LinkClosedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LinkClosedException(String message) {
    super(message);
  }
}
