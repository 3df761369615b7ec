package dev.jsync.testkit;

import static dev.jsync.testkit.SampleRecords.ALICE;
import static dev.jsync.testkit.SampleRecords.BOB;
import static dev.jsync.testkit.SampleRecords.CAROL;
import static dev.jsync.testkit.SampleRecords.directory;
import static dev.jsync.testkit.SampleRecords.hash;
import static dev.jsync.testkit.SampleRecords.path;
import static dev.jsync.testkit.SampleRecords.symlink;
import static dev.jsync.testkit.SampleRecords.tombstone;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileKind;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every part of {@link IndexStoreContract} shares: a fresh store per test in a fresh temp
 * folder, opened, reopened and described by the implementation's contract class, and helpers.
 */
abstract class StoreContractArea {

  private final IndexStoreContract contract;

  /** The state folder of the store under test: a fresh temp folder per test. */
  @TempDir
  Path dir;

  /** The store under test, opened before each test and closed after it. */
  IndexStore store;

  StoreContractArea(IndexStoreContract contract) {
    this.contract = contract;
  }

  @BeforeEach
  public void openFreshStore() {
    store = openStore(dir);
  }

  @AfterEach
  public void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  IndexStore openStore(Path folder) {
    return contract.openStore(folder);
  }

  IndexStore reopen(IndexStore s, Path folder) {
    return contract.reopen(s, folder);
  }

  boolean persistent() {
    return contract.persistent();
  }


  void apply(StoreBatch batch) {
    store.apply(batch);
  }

  static LocalEntry entry(FileRecord record) {
    return LocalEntry.withoutStat(record);
  }

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  static List<LocalEntry> locals(IndexStore s) {
    List<LocalEntry> out = new ArrayList<>();
    s.forEachLocal(out::add);
    return out;
  }

  static List<FileRecord> remotes(IndexStore s, DeviceId peer) {
    List<FileRecord> out = new ArrayList<>();
    s.forEachRemote(peer, out::add);
    return out;
  }

  static FileRecord generation(String path, int generation, long sequence) {
    return FileRecord.directory(path(path), generation, SampleRecords.vector(ALICE, generation), ALICE)
        .withSequence(sequence);
  }

  /** Records at the edges of what the model allows, in increasing sequence order. */
  static List<LocalEntry> unusualEntries() {
    VersionVector manyDevices = VersionVector.of(Map.of(
        ALICE, 1L, BOB, 1_700_000_000L, CAROL, Long.MAX_VALUE, DeviceId.fromName("dave"), 127L,
        DeviceId.fromName("eve"), 128L));
    String longName = "n".repeat(RelativePath.MAX_SEGMENT_BYTES);
    String longPath = String.join("/", Collections.nCopies(16, longName)); // 4095 bytes
    return List.of(
        LocalEntry.of(new FileRecord(path("\u65e5\u672c\u8a9e/\u00e9t\u00e9 \ud83c\udf1e.md"), FileKind.FILE, 3,
                -1_000_000_123L, true, SampleRecords.blocks(3, List.of(hash(1))), hash(2), "", manyDevices, CAROL,
                false, 0, 100),
            new DiskStat(3, Long.MIN_VALUE, "")),
        LocalEntry.withoutStat(new FileRecord(path("empty"), FileKind.FILE, 0, 0, false, List.of(), Sha256.EMPTY,
            "", VersionVector.empty(), ALICE, false, 0, 101)),
        LocalEntry.of(symlink("links/\u2192 up", "../\u00fcber/\ud83d\ude00 target", 102),
            new DiskStat(0, Long.MAX_VALUE, "dev=2049,ino=18446744073709551615")),
        LocalEntry.withoutStat(tombstone("gone/\u0414\u0430", 103)),
        LocalEntry.withoutStat(new FileRecord(path("gone-link"), FileKind.SYMLINK, 0, 5, false, List.of(),
            Sha256.EMPTY, "", manyDevices, BOB, true, Long.MAX_VALUE, 104)),
        LocalEntry.withoutStat(directory(longPath, 105)),
        LocalEntry.of(FileRecord.file(path("notes/merged.md"), 3, 7, false, SampleRecords.blocks(3, List.of(hash(3))),
                hash(4), VersionVector.of(Map.of(ALICE, 2L, BOB, 1_700_000_000L, CAROL, 5L)), BOB)
                .asMergeOf(VersionVector.of(Map.of(ALICE, 2L, CAROL, 5L))).withSequence(106),
            new DiskStat(3, 7, "ino")),
        LocalEntry.withoutStat(directory("z", Long.MAX_VALUE - 1)));
  }

  static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
