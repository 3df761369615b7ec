package dev.jsync.testkit;

/**
 * An invariant of a simulated cluster did not hold. The message names the invariant, shows
 * what broke it, and ends with how to replay the run: the seed and the operations applied (for
 * a {@link Scenario}, Java source that rebuilds it).
 */
public final class SimulationFailure extends AssertionError {

  private static final long serialVersionUID = 1L;

  private final String invariant;

  SimulationFailure(String invariant, String message, Throwable cause) {
    super(message, cause);
    this.invariant = invariant;
  }

  /** Which invariant failed: "converged", "no lost write", "no resurrection", "quiescent", "atomic", "no exceptions", "progress". */
  public String invariant() {
    return invariant;
  }
}
