package dev.jsync.core;

/**
 * Picks the winner between two concurrent versions of one path: versions that neither
 * causally follows, made on different devices without knowledge of each other.
 *
 * <p>The {@link Reconciler} asks only when causality cannot decide, and whatever the answer it
 * keeps the loser's content as a conflict copy: a resolver chooses which version keeps the
 * name, never whether an edit survives. Two devices ask the same question with the arguments
 * in opposite order, so an implementation must be:
 * <ul>
 *   <li><b>deterministic</b>: a pure function of the two records (no clock, no randomness, no
 *       notion of "local");</li>
 *   <li><b>symmetric</b>: {@code winner(a, b)} and {@code winner(b, a)} return the same record;
 *   </li>
 *   <li><b>total</b>: it returns one of its two arguments for any pair.</li>
 * </ul>
 * sync-testkit ships properties that check all three against any implementation.
 *
 * <p>The default is {@link NewestWinsResolver}.
 */
@FunctionalInterface
public interface ConflictResolver {

  /** Returns whichever of {@code a} and {@code b} should win. */
  FileRecord winner(FileRecord a, FileRecord b);
}
