package dev.jsync.core.history;

import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * The metadata record of one version, as the store writes it to {@code records/<id>.version}:
 * UTF-8 text of {@code key=value} lines ({@link Properties} syntax, so any path survives the
 * trip), for example:
 *
 * <pre>
 * format=1
 * id=20261207T061502123Z-3f9a1c2e
 * path=notes/plan.md
 * sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * size=1234
 * time=2026-12-07T06:15:02.123Z
 * reason=replaced
 * by=laptop
 * </pre>
 *
 * Reading is strict: a missing or malformed field, or another format, fails. Stateless.
 */
final class VersionRecords {

  static final int FORMAT = 1;

  private VersionRecords() {
  }

  static byte[] encode(Version v) {
    StringBuilder b = new StringBuilder();
    line(b, "format", Integer.toString(FORMAT));
    line(b, "id", v.id());
    line(b, "path", v.path().toString());
    line(b, "sha256", v.sha256());
    line(b, "size", Long.toString(v.size()));
    line(b, "time", v.time().toString());
    line(b, "reason", v.reason().label());
    line(b, "by", v.by());
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One {@code key=value} line, the value escaped as {@link Properties#load(java.io.Reader)} reads it. */
  private static void line(StringBuilder b, String key, String value) {
    b.append(key).append('=');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\f' -> b.append("\\f");
        case '=', ':', '#', '!' -> b.append('\\').append(c);
        case ' ' -> b.append(i == 0 ? "\\ " : " ");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('\n');
  }

  /** @throws IOException if {@code bytes} is not a whole, valid record */
  static Version decode(byte[] bytes) throws IOException {
    Properties p = new Properties();
    try {
      p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
      if (!Integer.toString(FORMAT).equals(p.getProperty("format"))) {
        throw new IOException("unknown record format '" + p.getProperty("format") + "'");
      }
      return new Version(required(p, "id"), RelativePath.of(required(p, "path")), required(p, "sha256"),
          Long.parseLong(required(p, "size")), Instant.parse(required(p, "time")),
          Version.Reason.ofLabel(required(p, "reason")), required(p, "by"));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      // NumberFormatException and InvalidRelativePathException are IllegalArgumentExceptions.
      throw new IOException("not a valid version record: " + e.getMessage(), e);
    }
  }

  private static String required(Properties p, String key) throws IOException {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IOException("the version record has no " + key);
    }
    return v;
  }
}
