package dev.jsync.testkit.sim;

import dev.jsync.core.ConflictResolver;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.NewestWinsResolver;
import dev.jsync.core.RelativePath;
import dev.jsync.core.VersionVector;
import dev.jsync.testkit.ResolverProperties;
import dev.jsync.testkit.SyncArbitraries;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import net.jqwik.api.Example;

/** Newest wins with a 2 s tie window (FAT's time precision), through the same properties. */
class TieWindowResolverProperties extends ResolverProperties {

  @Override
  protected ConflictResolver resolver() {
    return NewestWinsResolver.withTieWindow(Duration.ofSeconds(2));
  }

  /**
   * The directed case of {@link #theWinnerOfThreeDoesNotDependOnTheOrder}: "within 2 s of each
   * other" is not transitive (0 s ties with 1.5 s, 1.5 s with 3 s, but 3 s beats 0 s), so a
   * window read that way ranks three concurrent versions differently in each order they meet
   * in. Times tie when they round to the same multiple of the window.
   */
  @Example
  void threeVersionsAWindowApartRankTheSameInEveryOrder() {
    long t0 = 1_767_603_600_000_000_000L;
    FileRecord[] v = new FileRecord[3];
    String[] names = {"laptop", "desktop", "pi"};
    for (int i = 0; i < 3; i++) {
      DeviceId by = DeviceId.fromName(names[i]);
      v[i] = SyncArbitraries.fileRecord(RelativePath.of("a.md"), names[i].getBytes(StandardCharsets.UTF_8),
          t0 + i * 1_500_000_000L, false, VersionVector.empty().increment(by), by);
    }
    for (int i = 0; i < 3; i++) {
      checkOrderIndependent(resolver(), v[i], v[(i + 1) % 3], v[(i + 2) % 3]);
    }
  }
}
