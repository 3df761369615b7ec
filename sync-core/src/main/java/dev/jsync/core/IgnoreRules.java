package dev.jsync.core;

import dev.jsync.core.internal.IgnoreMatcher;
import dev.jsync.core.internal.ReservedNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules that decide which paths of a synced folder jSync leaves alone: built-in defaults
 * plus the patterns of the folder's {@value #FILE_NAME}, in gitignore syntax. The full story,
 * with examples, is in {@code docs/ignoring.md}.
 *
 * <p>Precedence, highest first:
 * <ol>
 *   <li>jSync's own state folder ({@code .jsync} at the root, with everything in it) and temp
 *       files ({@code .jsync-tmp-*} at any depth) are always ignored; no pattern can re-include
 *       them. These names are matched the way case-insensitive and normalising file systems
 *       match names ({@code .JSYNC}, {@code .jsync.} and {@code .Jsync-TMP-x} are reserved too;
 *       see {@link RelativePath}).</li>
 *   <li>Otherwise the last pattern that matches decides: the user's lines come after the
 *       defaults, so {@code !*.tmp} re-includes temp files, and a {@code !pattern} re-includes
 *       what an earlier line excluded.</li>
 *   <li>A path that no pattern matches is synced.</li>
 * </ol>
 * {@link #isIgnored} judges a path on its own; as in git, nothing inside an ignored folder can be
 * re-included, which {@link #isIgnoredWithAncestors} accounts for.
 *
 * <p>Immutable and thread-safe. Patterns are compiled once, when the rules are created, and a
 * query does no I/O and allocates almost nothing.
 */
public final class IgnoreRules {

  /** Name of the ignore file at the root of a synced folder. Synced like any other file. */
  public static final String FILE_NAME = ".jsyncignore";

  /**
   * The defaults, in gitignore syntax. Obsidian's workspace files record which notes are open on
   * one device; syncing them makes devices fight over the layout. They are matched directly in a
   * {@code .obsidian} folder at any depth, because a synced folder may hold several vaults.
   */
  private static final List<String> DEFAULTS = List.of(
      ".DS_Store",
      "._*",
      "desktop.ini",
      "Thumbs.db",
      ".git/",
      "*.tmp",
      "**/.obsidian/workspace.json",
      "**/.obsidian/workspace-mobile.json");

  private static final IgnoreRules DEFAULT_RULES = new IgnoreRules(List.of());

  private final List<String> patterns;
  private final IgnoreMatcher matcher;

  private IgnoreRules(List<String> userPatterns) {
    this.patterns = List.copyOf(userPatterns);
    List<String> all = new ArrayList<>(DEFAULTS);
    all.addAll(userPatterns);
    this.matcher = IgnoreMatcher.compile(List.of(), all);
  }

  /** The built-in rules alone, for a folder without an ignore file. */
  public static IgnoreRules defaults() {
    return DEFAULT_RULES;
  }

  /**
   * The defaults plus the patterns in {@code jsyncignoreText}, the content of a
   * {@value #FILE_NAME}. Never rejects the text: a malformed pattern, such as one with an
   * unterminated {@code [}, matches nothing, as in git.
   */
  public static IgnoreRules parse(String jsyncignoreText) {
    Objects.requireNonNull(jsyncignoreText, "jsyncignoreText");
    return new IgnoreRules(IgnoreMatcher.patternLines(jsyncignoreText));
  }

  /**
   * These rules followed by {@code devicePatterns}, patterns that apply on this device only
   * (see {@link SyncOptions#localIgnores()}): they come last, so they have the last word.
   */
  public IgnoreRules withLocalPatterns(List<String> devicePatterns) {
    if (devicePatterns.isEmpty()) {
      return this;
    }
    List<String> all = new ArrayList<>(patterns);
    all.addAll(devicePatterns);
    return new IgnoreRules(all);
  }

  /**
   * A pattern line of an ignore file that can never match, so it ignores nothing: an
   * unterminated or unknown bracket expression ({@code [abc}, {@code [[:foo:]]}), a trailing
   * {@code \}, a bare {@code !} or {@code /}.
   *
   * @param line its line number, from 1
   * @param pattern the line as written
   */
  public record BadPattern(int line, String pattern) {
  }

  /** The lines of {@code jsyncignoreText} that {@link #parse} drops because they can never match. */
  public static List<BadPattern> badPatterns(String jsyncignoreText) {
    List<BadPattern> bad = new ArrayList<>();
    IgnoreMatcher.unusableLines(jsyncignoreText).forEach((line, pattern) -> bad.add(new BadPattern(line, pattern)));
    return bad;
  }

  /**
   * Returns {@code true} if the rules ignore {@code path} itself. Folders above it are not
   * consulted: a scanner that walks top-down and skips ignored folders needs no more.
   */
  public boolean isIgnored(RelativePath path, boolean isDirectory) {
    String p = path.toString();
    return ReservedNames.isReservedPath(p) || matcher.isIgnored(p, isDirectory);
  }

  /**
   * Returns {@code true} if the rules ignore {@code path} or any folder that contains it. Use
   * this for a path that arrives without its parents, such as one sent by a peer.
   */
  public boolean isIgnoredWithAncestors(RelativePath path, boolean isDirectory) {
    String p = path.toString();
    return ReservedNames.isReservedPath(p) || matcher.isIgnoredWithAncestors(p, isDirectory);
  }

  /**
   * Judges a canonical path string that {@link RelativePath} may refuse to represent, such as
   * the state folder itself. For tests of the reserved rules.
   */
  boolean isIgnoredUnchecked(String canonicalPath, boolean isDirectory) {
    return ReservedNames.isReservedPath(canonicalPath) || matcher.isIgnoredWithAncestors(canonicalPath, isDirectory);
  }

  /** The user's pattern lines, as written, without comments and blank lines; empty for defaults. */
  public List<String> patterns() {
    return patterns;
  }

  /** Rules are equal when they hold the same user patterns in the same order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof IgnoreRules other && other.patterns.equals(patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }

  @Override
  public String toString() {
    return "IgnoreRules[defaults + " + patterns.size() + " user patterns]";
  }
}
