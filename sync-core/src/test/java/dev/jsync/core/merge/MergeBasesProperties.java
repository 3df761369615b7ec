package dev.jsync.core.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.RelativePath;
import dev.jsync.core.VersionVector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the merge bases of one path whose versions a device kept one after the other
 * (its own saves and what it took from a second device), when a third device edited one of them.
 */
class MergeBasesProperties {

  private static final DeviceId A = DeviceId.fromName("a");
  private static final DeviceId B = DeviceId.fromName("b");
  private static final DeviceId C = DeviceId.fromName("c");
  private static final RelativePath NOTE = RelativePath.of("note.md");

  @Property(tries = 300)
  void theBaseOfAnEditOfAKeptVersionIsThatVersionAndNeverAnOlderOne(
      @ForAll @Size(min = 1, max = 30) List<Boolean> savedByA,
      @ForAll @IntRange(min = 0, max = 29) int editedAt,
      @ForAll @IntRange(min = 0, max = 3) int prunes) throws IOException {
    int k = editedAt % savedByA.size();
    Path dir = Files.createTempDirectory("merge-bases-property");
    try {
      MergeBases bases = MergeBases.open(dir, MergeBases.DEFAULT_MAX_BYTES);
      List<VersionVector> chain = new ArrayList<>();
      VersionVector v = VersionVector.empty();
      for (int i = 0; i < savedByA.size(); i++) {
        v = v.increment(savedByA.get(i) ? A : B);
        chain.add(v);
        byte[] content = ("version " + i + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(bases.keep(NOTE, v, MergeBases.contentHashOf(content), content)).isTrue();
        if (prunes > 0 && i % (prunes + 2) == 0) {
          // Every device holds at least the version k - 1 of the chain: nothing it still needs goes.
          bases.prune(NOTE, v, List.of(v, chain.get(Math.max(0, Math.min(k, i) - 1))));
        }
      }
      VersionVector newest = chain.get(chain.size() - 1);
      VersionVector edited = chain.get(k).increment(C);
      boolean kept = bases.bases(NOTE).stream().anyMatch(e -> e.version().equals(chain.get(k)));

      Optional<MergeBases.Base> base = bases.baseOf(NOTE, newest, edited);

      // A base older than version k would make a's changes since it look like c's to undo.
      base.ifPresent(b -> assertThat(b.version()).isEqualTo(chain.get(k)));
      if (kept) {
        assertThat(base).as("version %d is kept", k).isPresent();
      }
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
