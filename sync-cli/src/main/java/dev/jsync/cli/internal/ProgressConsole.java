package dev.jsync.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Standard error, shared by log lines and, on a terminal, one progress line kept below them: a
 * log line first erases the progress line, then the progress line is drawn again under it. Off
 * a terminal (a pipe, a file, systemd's journal) the progress line is never drawn, and what is
 * written is plain lines. One per process, because Logback creates its appender by reflection.
 *
 * <p>Thread-safe: every write holds the instance's lock.
 */
final class ProgressConsole {

  /** Set by {@code ./jsync} to {@code true} or {@code false}: whether standard error is a terminal. */
  static final String TERMINAL_PROPERTY = "jsync.stderr.terminal";

  private static final ProgressConsole STDERR = new ProgressConsole(System.err, isTerminal());
  private static final String ERASE_LINE = "\r\033[K";

  private final PrintStream out;
  private final boolean terminal;
  private String line = "";

  ProgressConsole(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  static ProgressConsole stderr() {
    return STDERR;
  }

  /** Whether a progress line can be drawn (standard error is a terminal). */
  boolean terminal() {
    return terminal;
  }

  /** Writes one or more whole log lines. */
  synchronized void log(byte[] lines) {
    if (!line.isEmpty()) {
      out.print(ERASE_LINE);
    }
    out.write(lines, 0, lines.length);
    if (!line.isEmpty()) {
      out.print(line);
    }
    out.flush();
  }

  /** Replaces the progress line with {@code text}; an empty text removes it. No-op off a terminal. */
  synchronized void show(String text) {
    if (!terminal || text.equals(line)) {
      return;
    }
    out.print(ERASE_LINE + text);
    out.flush();
    line = text;
  }

  /**
   * Whether standard error is a terminal, the only place a progress line may be drawn: with
   * {@code 2>log} the carriage returns would fill the file. Java has no call for this, so in order:
   * the {@value #TERMINAL_PROPERTY} property, which {@code ./jsync} sets from the shell's
   * {@code [ -t 2 ]}; on Linux, what {@code /proc/self/fd/2} links to; elsewhere, whether the JVM
   * has a console (standard input and output on a terminal), the best guess left.
   */
  static boolean isTerminal() {
    Optional<String> fd2;
    try {
      fd2 = Optional.of(Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      fd2 = Optional.empty();
    }
    return stderrIsTerminal(System.getProperty(TERMINAL_PROPERTY), fd2, ProgressConsole::consoleIsTerminal);
  }

  static boolean stderrIsTerminal(String property, Optional<String> fd2Target, BooleanSupplier console) {
    if (property != null && !property.isBlank()) {
      return Boolean.parseBoolean(property.strip());
    }
    if (fd2Target.isPresent()) {
      String t = fd2Target.get();
      return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
    }
    return console.getAsBoolean();
  }

  /**
   * {@code System.console()} is null when input or output is redirected up to JDK 21; from JDK 22
   * it may exist anyway, and {@code Console.isTerminal()} (called reflectively: this code is
   * compiled for 17) tells.
   */
  private static boolean consoleIsTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      Method m = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) m.invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 17 to 21: a console means a terminal
    }
  }
}
