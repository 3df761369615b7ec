package dev.jsync.cli.internal;

import dev.jsync.core.NameMatching;
import java.util.Locale;

/** The {@code --names} option: how the folder's file system compares names (docs/cli.md). */
final class NamesFlag {

  private NamesFlag() {}

  /**
   * The naming {@code given} names; {@link NameMatching#DETECT} if none was given.
   *
   * @throws BadInvocation if it is not one of detect, exact, windows, macos
   */
  static NameMatching parse(String given) {
    if (given == null) {
      return NameMatching.DETECT;
    }
    return switch (given.strip().toLowerCase(Locale.ROOT)) {
      case "detect" -> NameMatching.DETECT;
      case "exact" -> NameMatching.EXACT;
      case "windows" -> NameMatching.WINDOWS;
      case "macos" -> NameMatching.MACOS;
      default -> throw BadInvocation.usage("--names " + given + " is not one of detect, exact, windows, macos (the"
          + " default, detect, finds out at start how the folder's file system compares names)");
    };
  }
}
