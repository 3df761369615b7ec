package dev.jsync.protocol;

/**
 * Bytes from a peer that are not a valid frame or message: a malformed or oversize length
 * prefix, a message that does not parse, an unknown message kind, or a field that fails
 * validation (a hostile path, a hash of the wrong length, an impossible counter). The message
 * says what was wrong, for the log line written before the connection is closed.
 *
 * <p>This is the only exception {@link FrameReader} and {@link MessageCodec#decode} throw for bad
 * input, whatever the input.
 */
public final class ProtocolException extends Exception {

  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
