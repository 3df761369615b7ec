package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class NewestWinsResolverTest {

  private static final DeviceId A = DeviceId.fromName("a");
  private static final DeviceId B = DeviceId.fromName("b");

  private static FileRecord at(long nanos, DeviceId by) {
    return Gen.fileWith("x", new byte[] {(byte) nanos}, nanos, false, VersionVector.empty().increment(by), by);
  }

  @Provide
  Arbitrary<FileRecord> record() {
    return Gen.records();
  }

  @Property
  void isSymmetricAndTotal(@ForAll("record") FileRecord a, @ForAll("record") FileRecord b) {
    for (ConflictResolver r : new ConflictResolver[] {
        NewestWinsResolver.defaults(), NewestWinsResolver.withTieWindow(Duration.ofSeconds(2))}) {
      FileRecord w = r.winner(a, b);
      assertThat(w).isIn(a, b);
      assertThat(r.winner(b, a)).isEqualTo(w);
    }
  }

  @Test
  void newerTimeWinsOutsideTheTieWindow() {
    FileRecord older = at(1_000_000_000L, A);
    FileRecord newer = at(2_500_000_000L, B);
    assertThat(NewestWinsResolver.defaults().winner(older, newer)).isSameAs(newer);
    // Within a 2 s window the times tie and the greater device id decides.
    FileRecord byDevice = A.compareTo(B) > 0 ? older : newer;
    assertThat(NewestWinsResolver.withTieWindow(Duration.ofSeconds(2)).winner(older, newer)).isSameAs(byDevice);
  }

  @Test
  void rejectsNegativeWindow() {
    assertThatThrownBy(() -> NewestWinsResolver.withTieWindow(Duration.ofSeconds(-1)))
        .hasMessageContaining("must not be negative");
  }
}
