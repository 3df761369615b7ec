package dev.jsync.core.transport;

import dev.jsync.core.RelativePath;
import java.util.Objects;

/**
 * A {@link PeerLink} could not send an index batch because one record in it, alone, is larger
 * than a frame may be (a path of thousands of characters, or a file of many gibibytes listing
 * its block hashes). Nothing of the batch was sent; the engine reports the path and sends the
 * rest of its index without that record.
 */
public final class RecordTooLargeException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient RelativePath path;

  public RecordTooLargeException(RelativePath path, String message) {
    super(message);
    this.path = Objects.requireNonNull(path, "path");
  }

  /** The path of the record that does not fit. */
  public RelativePath path() {
    return path;
  }
}
