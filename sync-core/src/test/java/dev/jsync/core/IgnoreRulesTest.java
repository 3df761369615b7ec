package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IgnoreRulesTest {

  private static final IgnoreRules DEFAULTS = IgnoreRules.defaults();

  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource({
      ".DS_Store, file",
      "photos/2024/.DS_Store, file",
      "._note.md, file",
      "photos/._cat.jpg, file",
      "desktop.ini, file",
      "a/desktop.ini, file",
      "Thumbs.db, file",
      "a/b/Thumbs.db, file",
      ".git, dir",
      "projects/app/.git, dir",
      "notes.tmp, file",
      "a/b/download.tmp, file",
      "cache.tmp, dir",
      ".obsidian/workspace.json, file",
      ".obsidian/workspace-mobile.json, file",
      "vaults/work/.obsidian/workspace.json, file",
      "vaults/work/.obsidian/workspace-mobile.json, file"})
  void defaultsIgnore(String path, String kind) {
    assertThat(DEFAULTS.isIgnored(RelativePath.of(path), kind.equals("dir"))).isTrue();
  }

  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource({
      ".jsyncignore, file",
      "notes.conflict-20240501-120000-laptop.bak, file",
      "a/report.conflict-20240501-120000-phone.bak, file",
      // .git is ignored as a folder; a worktree's .git pointer file is left alone.
      ".git, file",
      ".gitignore, file",
      "workspace.json, file",
      "obsidian/workspace.json, file",
      ".obsidian/app.json, file",
      ".obsidian/plugins/x/workspace.json, file",
      "notes.tmp.md, file",
      "sub/.jsync, dir",
      "sub/.jsync-tmp, file",
      "Thumbs.db.txt, file",
      "thumbs.db, file"})
  void defaultsKeep(String path, String kind) {
    assertThat(DEFAULTS.isIgnored(RelativePath.of(path), kind.equals("dir"))).isFalse();
  }

  @Test
  void everythingInsideTheDefaultFoldersIsIgnored() {
    assertThat(DEFAULTS.isIgnoredWithAncestors(RelativePath.of("a/.git/objects/ab/cd"), false))
        .isTrue();
    assertThat(DEFAULTS.isIgnoredWithAncestors(RelativePath.of("a/.gitx/objects"), false))
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {".jsync", ".jsync/index", ".jsync/db/000001.sst", ".jsync-tmp-1234",
      "a/b/.jsync-tmp-xyz", "a/.jsync-tmp-dir/inner", ".JSYNC", ".Jsync/index", ".jsync./device.p12",
      ".jsync /x", "a/.JSYNC-TMP-1", "a/.Jsync-tmp-dir/inner", "JSYNC~1/index"})
  void stateAndTempFilesAreAlwaysIgnored(String path) {
    IgnoreRules hostile = IgnoreRules.parse(String.join("\n",
        "!.jsync", "!.jsync/", "!/.jsync", "!.jsync/**", "!/.jsync/**", "!*", "!**",
        "!.jsync-tmp-*", "!**/.jsync-tmp-*", "!*/"));
    assertThat(DEFAULTS.isIgnoredUnchecked(path, false)).isTrue();
    assertThat(DEFAULTS.isIgnoredUnchecked(path, true)).isTrue();
    assertThat(hostile.isIgnoredUnchecked(path, false)).isTrue();
    assertThat(hostile.isIgnoredUnchecked(path, true)).isTrue();
  }

  @Test
  void userPatternsCanReincludeOrdinaryDefaults() {
    IgnoreRules rules = IgnoreRules.parse("!*.tmp\n!.obsidian/workspace.json");
    assertThat(rules.isIgnored(RelativePath.of("a.tmp"), false)).isFalse();
    assertThat(rules.isIgnored(RelativePath.of(".obsidian/workspace.json"), false)).isFalse();
    assertThat(rules.isIgnored(RelativePath.of(".DS_Store"), false)).isTrue();
  }

  @Test
  void patternsAreTheUserLinesAsWritten() {
    IgnoreRules rules = IgnoreRules.parse(
        "\uFEFF# build output\r\nbuild/\r\n\r\n   \n*.log  \n!keep.log\n[broken\n");
    assertThat(rules.patterns()).containsExactly("build/", "*.log  ", "!keep.log", "[broken");
    assertThat(IgnoreRules.defaults().patterns()).isEmpty();
    assertThat(rules.isIgnored(RelativePath.of("x.log"), false)).isTrue();
    assertThat(rules.isIgnored(RelativePath.of("build"), true)).isTrue();
  }

  @Test
  void emptyFileMeansDefaults() {
    assertThat(IgnoreRules.parse("")).isEqualTo(IgnoreRules.defaults());
    assertThat(IgnoreRules.parse("# nothing\n\n")).isEqualTo(IgnoreRules.defaults());
  }

  @Test
  void ignoreFileItselfIsSynced() {
    assertThat(IgnoreRules.FILE_NAME).isEqualTo(".jsyncignore");
    IgnoreRules rules = IgnoreRules.parse("*.md");
    assertThat(rules.isIgnored(RelativePath.of(IgnoreRules.FILE_NAME), false)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[", "[[:nope:]]", "\\", "!", "/", "//", "***", "[!", "a[]", "\\\\\\",
      "!!!", "\u0000", "[z-a]", "**/**/", "\ud800", "[\\", "x\\\ny"})
  void neverThrowsOnUserText(String text) {
    assertThatCode(() -> {
      IgnoreRules rules = IgnoreRules.parse(text);
      rules.isIgnoredWithAncestors(RelativePath.of("a/b/c"), false);
      rules.isIgnored(RelativePath.of("a"), true);
    }).doesNotThrowAnyException();
  }

  @Test
  void matchingIsCaseSensitiveAndUnicodeNormalised() {
    // The pattern is written decomposed (e + U+0301); paths are always composed (NFC).
    IgnoreRules rules = IgnoreRules.parse("cafe\u0301.md\nREADME");
    assertThat(rules.isIgnored(RelativePath.of("caf\u00e9.md"), false)).isTrue();
    assertThat(rules.isIgnored(RelativePath.of("readme"), false)).isFalse();
  }
}
