package dev.jsync.protocol;

import dev.jsync.core.transport.IndexUpdate;
import java.util.Objects;

/**
 * A batch of the sender's index (core's {@link IndexUpdate}). An update too big for one frame
 * is first cut by {@link IndexSplitter}.
 */
public record IndexMessage(IndexUpdate update) implements Message {

  public IndexMessage {
    Objects.requireNonNull(update, "update");
  }
}
