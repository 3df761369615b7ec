package dev.jsync.cli.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Warns when the JVM cannot name files outside ASCII. The JVM encodes file names in the charset
 * of the locale it started in ({@code sun.jnu.encoding}, which {@code -D} cannot change): under
 * the C/POSIX locale that systemd and many containers default to, opening {@code café.md} fails.
 * Windows is exempt: the JVM passes file names to Windows as UTF-16 whatever the code page.
 * Stateless.
 */
final class LocaleCheck {

  private LocaleCheck() {
  }

  /** The warning for this JVM, if one is due. */
  static Optional<String> warning() {
    return warning(System.getProperty("sun.jnu.encoding"), System.getProperty("os.name", ""), System.getenv());
  }

  static Optional<String> warning(String fileNameEncoding, String osName, Map<String, String> env) {
    if (fileNameEncoding == null || osName.toLowerCase(Locale.ROOT).startsWith("windows") || isUtf8(fileNameEncoding)) {
      return Optional.empty();
    }
    StringBuilder locale = new StringBuilder();
    for (String var : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
      String v = env.get(var);
      if (v != null && !v.isEmpty()) {
        locale.append(locale.length() == 0 ? "" : ", ").append(var).append('=').append(v);
      }
    }
    return Optional.of("file names are encoded as " + fileNameEncoding + " because the locale is not UTF-8 ("
        + (locale.length() == 0 ? "no LANG or LC_* set" : locale) + "): files with non-ASCII names cannot be"
        + " synced. Start jsync with LANG=C.UTF-8 (under systemd: Environment=LANG=C.UTF-8)");
  }

  private static boolean isUtf8(String name) {
    try {
      return Charset.forName(name).equals(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
