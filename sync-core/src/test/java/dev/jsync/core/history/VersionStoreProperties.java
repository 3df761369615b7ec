package dev.jsync.core.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.RelativePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random scripts of keeps, clock moves, sweeps and crash leftovers against a plain model of the
 * retention rule: the store keeps exactly the versions the model keeps, holds exactly their
 * distinct contents, each under its own SHA-256, and never lists a leftover.
 */
class VersionStoreProperties {

  private static final long LIMIT = 200;
  private static final Duration MAX_AGE = Duration.ofDays(30);

  sealed interface Op {}

  record Keep(int path, int content, int length, Version.Reason reason) implements Op {}

  record Advance(Duration by) implements Op {}

  record Sweep() implements Op {}

  /** A writer killed after writing {@code tmp/} content, or after renaming an object in. */
  record Leftover(boolean object) implements Op {}

  @Provide
  Arbitrary<List<Op>> scripts() {
    Arbitrary<Op> keep = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 5),
        Arbitraries.integers().between(0, 120), Arbitraries.of(Version.Reason.class)).as(Keep::new);
    Arbitrary<Op> advance = Arbitraries.integers().between(0, 20 * 24).map(h -> new Advance(Duration.ofHours(h)));
    Arbitrary<Op> sweep = Arbitraries.just(new Sweep());
    Arbitrary<Op> leftover = Arbitraries.of(true, false).map(Leftover::new);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, keep), net.jqwik.api.Tuple.of(3, advance), net.jqwik.api.Tuple.of(1, sweep),
        net.jqwik.api.Tuple.of(1, leftover)).list().ofMaxSize(25);
  }

  private record Model(Instant time, String sha256, long size) {}

  @Property(tries = 30)
  void theStoreKeepsWhatTheRetentionRuleKeeps(@ForAll("scripts") List<Op> script) throws Exception {
    Path folder = Files.createTempDirectory("versions-prop");
    try {
      MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
      VersionStore store = VersionStore.open(folder.resolve(".jsync"), folder,
          new Retention(MAX_AGE, java.util.OptionalLong.of(LIMIT)), clock);
      List<Model> model = new ArrayList<>();
      int n = 0;
      for (Op op : script) {
        if (op instanceof Keep k) {
            String text = ("c" + k.content()).repeat(k.length() / 2 + 1).substring(0, k.length());
            Path file = folder.resolve("f" + k.path());
            Path temp = folder.resolve("tmp-" + n++);
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            var kept = store.keep(RelativePath.of("f" + k.path()), file, k.reason(), "peer");
            Files.delete(file); // as the engine's replace or delete does next
            if (text.length() <= LIMIT) {
              assertThat(kept).isPresent();
              model.add(new Model(clock.instant(), sha256(text), text.length()));
            } else {
              assertThat(kept).isEmpty();
            }
            expire(model, clock.instant());
            clock.advance(Duration.ofMillis(1));
        } else if (op instanceof Advance a) {
          clock.advance(a.by());
        } else if (op instanceof Sweep) {
          store.sweep();
          expire(model, clock.instant());
        } else if (op instanceof Leftover l) {
            Path dir = store.directory();
            if (Files.isDirectory(dir.resolve("tmp"))) {
              String sha = sha256("leftover " + n++);
              if (l.object()) {
                Files.createDirectories(dir.resolve("objects").resolve(sha.substring(0, 2)));
                Files.writeString(dir.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha), "leftover");
              } else {
                Files.writeString(dir.resolve("tmp").resolve("content-" + sha.substring(0, 16)), "leftover");
              }
            }
        }
        check(store, model);
      }
      if (!model.isEmpty() || Files.isDirectory(store.directory())) {
        store.sweep();
        expire(model, clock.instant());
        check(store, model);
        assertThat(objects(store)).isEqualTo(model.stream().map(Model::sha256).collect(Collectors.toCollection(TreeSet::new)));
      }
    } finally {
      try (Stream<Path> all = Files.walk(folder)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** The rule: oldest first, what is older than the age limit, then until the distinct contents fit. */
  private static void expire(List<Model> model, Instant now) {
    model.sort(Comparator.comparing(Model::time));
    while (!model.isEmpty()) {
      long total = model.stream().collect(Collectors.toMap(Model::sha256, Model::size, (x, y) -> x)).values().stream()
          .mapToLong(Long::longValue).sum();
      if (!model.get(0).time().isBefore(now.minus(MAX_AGE)) && total <= LIMIT) {
        break;
      }
      model.remove(0);
    }
  }

  private static void check(VersionStore store, List<Model> model) throws Exception {
    List<Version> listed = store.list();
    assertThat(listed).extracting(v -> new Model(v.time(), v.sha256(), v.size()))
        .containsExactlyElementsOf(model.stream().sorted(Comparator.comparing(Model::time).reversed()).toList());
    for (Version v : listed) {
      assertThat(sha256(Files.readString(store.content(v), StandardCharsets.UTF_8))).isEqualTo(v.sha256());
    }
    assertThat(objects(store)).containsAll(model.stream().map(Model::sha256).toList());
  }

  private static Set<String> objects(VersionStore store) throws IOException {
    Path objects = store.directory().resolve("objects");
    if (!Files.isDirectory(objects)) {
      return Set.of();
    }
    try (Stream<Path> all = Files.walk(objects)) {
      return all.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
