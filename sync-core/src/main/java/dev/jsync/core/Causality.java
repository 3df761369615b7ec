package dev.jsync.core;

/** How two versions relate in causal order; see {@link VersionVector#compare}. */
public enum Causality {
  /** The same version. */
  EQUAL,
  /** This version happened before the other: the other one includes it. */
  BEFORE,
  /** This version happened after the other: it includes the other one. */
  AFTER,
  /** Neither includes the other: they were made independently. */
  CONCURRENT;

  /** The relation seen from the other side. */
  public Causality reversed() {
    return switch (this) {
      case BEFORE -> AFTER;
      case AFTER -> BEFORE;
      default -> this;
    };
  }
}
