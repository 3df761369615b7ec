package dev.jsync.core.history;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Version ids: the time a version was kept, to the millisecond in UTC, and 32 random bits, e.g.
 * {@code 20261207T061502123Z-3f9a1c2e}. They sort by time, are safe as file names on every file
 * system, and are checked against this exact shape before use, so an id given on a command line
 * can never name anything outside the store. Stateless.
 */
final class VersionIds {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final Pattern SHAPE = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}");

  private VersionIds() {
  }

  static String next(Instant time, RandomGenerator random) {
    return TIME.format(time) + "-" + HexFormat.of().toHexDigits(random.nextInt());
  }

  static boolean isValid(String id) {
    return id != null && SHAPE.matcher(id).matches();
  }
}
