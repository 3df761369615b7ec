package dev.jsync.protocol;

/** Why a peer closes a connection on purpose; see {@link Close}. */
public enum CloseReason {
  /** The sender is stopping, or dropping the link at its engine's request. */
  SHUTDOWN,
  /** The receiver sent something invalid. */
  PROTOCOL_ERROR,
  /** The receiver's authentication proof was wrong: another secret, or a man in the middle. */
  AUTH_FAILED,
  /** The sender does not speak the receiver's protocol version. */
  VERSION_MISMATCH,
  /** Another connection between the same two devices is kept instead of this one. */
  DUPLICATE_CONNECTION,
  /** Nothing was heard from the receiver for too long. */
  IDLE_TIMEOUT
}
