package dev.jsync.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.Causality;
import dev.jsync.core.FileRecord;
import dev.jsync.core.InvalidRelativePathException;
import dev.jsync.core.RelativePath;
import dev.jsync.testkit.Operation;
import dev.jsync.testkit.Scenario;
import dev.jsync.testkit.SyncArbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The generators make what they promise. */
class SyncArbitrariesProperties {

  @Property(tries = 300)
  void relativePathsAreCanonical(@ForAll("paths") RelativePath p) {
    assertThat(RelativePath.of(p.toString())).isEqualTo(p);
  }

  @Property(tries = 500)
  void hostilePathsAreRejectedOrStayInsideTheFolder(@ForAll("hostile") String raw) {
    RelativePath p;
    try {
      p = RelativePath.of(raw);
    } catch (InvalidRelativePathException e) {
      return;
    }
    assertThat(p.segments()).doesNotContain("..", ".", "").noneMatch(s -> s.contains("/") || s.contains("\\"));
    assertThat(p.toString()).doesNotStartWith("/");
  }

  @Property(tries = 300)
  void concurrentPairsAreConcurrentAndByTwoDevices(@ForAll("pairs") FileRecord[] pair) {
    assertThat(pair[0].version().compare(pair[1].version())).isEqualTo(Causality.CONCURRENT);
    assertThat(pair[0].modifiedBy()).isNotEqualTo(pair[1].modifiedBy());
    assertThat(pair[0].path()).isEqualTo(pair[1].path());
  }

  @Property(tries = 100)
  void scenariosNameOnlyTheirNodesAndPrintAsJava(@ForAll("scenarios") Scenario s) {
    int n = s.nodes().size();
    assertThat(n).isBetween(3, 5);
    assertThat(s.skews()).hasSize(n);
    for (Operation op : s.operations()) {
      String text = op.toString();
      for (int i = n; i < 10; i++) {
        assertThat(text).doesNotStartWith(text.substring(0, text.indexOf('(') + 1) + i + ",");
      }
    }
    assertThat(s.toJava()).startsWith("Scenario.of(" + s.seed() + "L");
  }

  @Provide
  Arbitrary<RelativePath> paths() {
    return SyncArbitraries.relativePaths();
  }

  @Provide
  Arbitrary<String> hostile() {
    return SyncArbitraries.hostilePathStrings();
  }

  @Provide
  Arbitrary<FileRecord[]> pairs() {
    return SyncArbitraries.concurrentRecordPairs();
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return SyncArbitraries.scenarios();
  }
}
