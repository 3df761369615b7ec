package dev.jsync.net.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Whether a connection reads, decided by several independent reasons to pause: the peer does not
 * read what we send ({@link #WRITE_BACKLOG}), its index batches wait for the engine
 * ({@link #INDEX_BUDGET}), its address recently failed to authenticate ({@link #PENALTY}).
 * Reading resumes only when no reason is left; each reason pauses and resumes on its own, so one
 * cannot undo another's pause.
 *
 * <p>Event-loop confined (state kept as a channel attribute).
 */
final class ReadGate {

  static final int WRITE_BACKLOG = 1;
  static final int INDEX_BUDGET = 1 << 1;
  static final int PENALTY = 1 << 2;

  private static final AttributeKey<ReadGate> KEY = AttributeKey.valueOf("jsync.readGate");

  private int reasons;

  private ReadGate() {
  }

  private static ReadGate of(Channel ch) {
    ReadGate gate = ch.attr(KEY).get();
    if (gate == null) {
      gate = new ReadGate();
      ch.attr(KEY).set(gate);
    }
    return gate;
  }

  /** Stops reading from {@code ch} for {@code reason} (until {@link #resume} with the same reason). */
  static void pause(Channel ch, int reason) {
    ReadGate gate = of(ch);
    gate.reasons |= reason;
    ch.config().setAutoRead(false);
  }

  /** Drops {@code reason}; reading resumes if no other reason holds it paused. */
  static void resume(Channel ch, int reason) {
    ReadGate gate = of(ch);
    gate.reasons &= ~reason;
    if (gate.reasons == 0) {
      ch.config().setAutoRead(true);
    }
  }

  /** Whether {@code reason} currently pauses {@code ch}. */
  static boolean pausedFor(Channel ch, int reason) {
    return (of(ch).reasons & reason) != 0;
  }
}
