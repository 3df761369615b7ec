package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Ignore patterns for one device only, and the report of patterns that can never match. */
class LocalIgnoresAndBadPatternsTest {

  @Test
  void devicePatternsComeLastAndHaveTheLastWord() {
    IgnoreRules shared = IgnoreRules.parse("*.iso\n");
    IgnoreRules local = shared.withLocalPatterns(List.of("!keep.iso", "build/"));
    assertThat(shared.isIgnored(RelativePath.of("keep.iso"), false)).isTrue();
    assertThat(local.isIgnored(RelativePath.of("keep.iso"), false)).isFalse();
    assertThat(local.isIgnored(RelativePath.of("other.iso"), false)).isTrue();
    assertThat(local.isIgnoredWithAncestors(RelativePath.of("build/out.bin"), false)).isTrue();
    assertThat(shared.isIgnoredWithAncestors(RelativePath.of("build/out.bin"), false)).isFalse();
    assertThat(shared.withLocalPatterns(List.of())).isSameAs(shared);
  }

  @Test
  void patternsThatCanNeverMatchAreReportedWithTheirLine() {
    String text = "# notes\n*.tmp\n[abc\n\nok/\r\n[[:nope:]]\nlast\\\n";
    assertThat(IgnoreRules.badPatterns(text)).containsExactly(new IgnoreRules.BadPattern(3, "[abc"),
        new IgnoreRules.BadPattern(6, "[[:nope:]]"), new IgnoreRules.BadPattern(7, "last\\"));
    assertThat(IgnoreRules.badPatterns("\uFEFF*.md\n!\n")).containsExactly(new IgnoreRules.BadPattern(2, "!"));
    assertThat(IgnoreRules.badPatterns("")).isEmpty();
  }

  @Test
  void optionsCarryDevicePatternsAndTheBuilderKeepsEverything() {
    SyncOptions o = SyncOptions.builder().deviceName("laptop").localIgnores(List.of("*.iso")).watch(false).build();
    assertThat(o.localIgnores()).containsExactly("*.iso");
    assertThat(o.toBuilder().build()).isEqualTo(o);
    assertThat(SyncOptions.defaults().withDeviceName("laptop").withWatch(false).toBuilder()
        .localIgnores(List.of("*.iso")).build()).isEqualTo(o);
    assertThat(o.withDeviceName("desktop").deviceName()).isEqualTo("desktop");
    assertThat(o.deviceName()).isEqualTo("laptop");
  }
}
