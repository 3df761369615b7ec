package dev.jsync.testkit;

import dev.jsync.core.BlockInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What the nodes' folders hold before jSync first starts on them, with no index state: the way
 * a user copies a vault to a second device (a USB stick, {@code cp -a}, {@code rsync}) and then
 * starts jSync on both. Files may be the same bytes on every node (with the same or different
 * modification times), the same bytes with a different executable bit, different bytes, or on
 * some nodes only; empty folders too.
 *
 * <p>A file's bytes derive from its {@code content} number alone, so equal numbers on two nodes
 * are the same bytes, and no user write ever produces them. Sizes derive from the number too:
 * mostly tens of bytes, sometimes a few KiB, rarely more than one block.
 *
 * @param indexBatchRecords the nodes' {@code SyncOptions.indexBatchRecords} (0: the default),
 *     small so that the pre-seeded index travels in many batches, which the network's
 *     re-handshakes and repeated or skipped batches then cut into
 * @param entries what each node's folder holds, applied in order; an entry that does not fit
 *     (a file below a file) is skipped
 */
public record StartingState(int indexBatchRecords, List<Seeded> entries) {

  public StartingState {
    entries = List.copyOf(entries);
    if (indexBatchRecords < 0) {
      throw new IllegalArgumentException("indexBatchRecords " + indexBatchRecords);
    }
  }

  /** Empty folders, default options: what every scenario without a starting state has. */
  public static StartingState none() {
    return new StartingState(0, List.of());
  }

  /** Same as the canonical constructor; reads well in printed scenarios. */
  public static StartingState of(int indexBatchRecords, Seeded... entries) {
    return new StartingState(indexBatchRecords, List.of(entries));
  }

  public boolean isEmpty() {
    return indexBatchRecords == 0 && entries.isEmpty();
  }

  /** One thing on one node's disk at the start. */
  public sealed interface Seeded {
    int node();

    String path();
  }

  /**
   * A file on node {@code node} at {@code path}: the bytes of {@code content}, with its
   * executable bit, last modified {@code ageSeconds} before the simulation starts.
   */
  public record SeededFile(int node, String path, int content, boolean executable, long ageSeconds) implements Seeded {
    public SeededFile {
      Objects.requireNonNull(path, "path");
      if (content < 0 || ageSeconds < 0) {
        throw new IllegalArgumentException("content and age must be >= 0");
      }
    }

    @Override
    public String toString() {
      return "file(" + node + ", " + JavaLiterals.quote(path) + ", " + content + ", " + executable + ", " + ageSeconds + "L)";
    }
  }

  /** An empty folder (and any missing parents) on node {@code node}. */
  public record SeededFolder(int node, String path) implements Seeded {
    public SeededFolder {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "folder(" + node + ", " + JavaLiterals.quote(path) + ")";
    }
  }

  public static SeededFile file(int node, String path, int content, boolean executable, long ageSeconds) {
    return new SeededFile(node, path, content, executable, ageSeconds);
  }

  public static SeededFolder folder(int node, String path) {
    return new SeededFolder(node, path);
  }

  /** The bytes of content number {@code content}: a tag no user write makes, then filler. */
  public static byte[] bytes(int content) {
    SplittableRandom r = new SplittableRandom(SimulatedScheduler.mix(0x5eedL * 31 + content));
    int size;
    if (content % 127 == 0) {
      size = BlockInfo.SIZE + 1 + r.nextInt(BlockInfo.SIZE);
    } else if (content % 11 == 0) {
      size = 1000 + r.nextInt(7000);
    } else {
      size = 20 + r.nextInt(280);
    }
    byte[] tag = ("seeded content " + content + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[Math.max(size, tag.length)];
    System.arraycopy(tag, 0, out, 0, tag.length);
    for (int i = tag.length; i < out.length; i++) {
      out[i] = (byte) ('a' + r.nextInt(26));
    }
    return out;
  }

  /** Java source that builds this state ({@code import static dev.jsync.testkit.StartingState.*}). */
  String toJava() {
    List<String> parts = new ArrayList<>();
    parts.add(String.valueOf(indexBatchRecords));
    for (Seeded s : entries) {
      parts.add("\n        " + s);
    }
    return "StartingState.of(" + String.join(", ", parts) + ")";
  }
}
