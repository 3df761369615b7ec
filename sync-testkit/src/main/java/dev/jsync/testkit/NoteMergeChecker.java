package dev.jsync.testkit;

import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.merge.MergeBases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Merged notes (docs/testkit.md, "Merged notes"): two users who each edit one line of the same
 * note, each without having seen the other's edit, end with both edits in the note and no
 * conflict copy when the lines are at least two apart and the note's common version could be
 * merged against; otherwise with one edit in the note and the other in a conflict copy.
 *
 * <p>The claim is made only where the rule promises it, and a pair of edits is skipped
 * otherwise:
 * <ul>
 *   <li>the two edits ({@link Operation.EditLine}) are on different nodes, and each user saw the
 *       same content at the path (the common version);</li>
 *   <li>once the run is over, they are the only versions of the path no user superseded (no
 *       third concurrent version, no later edit, delete, rename or chmod of either; a chmod of
 *       the path (under any case of its name, which reaches it on a Mac or Windows node) after
 *       the first edit skips the pair, since it keeps the bytes and so cannot
 *       be told from the edit by content, and the rule keeps a conflict copy of versions whose
 *       executable bits differ);</li>
 *   <li>no user deleted the path or renamed it away since the common version was made there,
 *       whatever it held: a third concurrent edit that won over both and was then deleted is
 *       superseded, yet the path ends empty, by that user's hand;</li>
 *   <li>no node's disk fails on purpose (a failed read falls back to a conflict copy);</li>
 *   <li>no node reports the path as a name it cannot hold, and no user made anything at a case
 *       variant of it (one name on a Mac or Windows node);</li>
 *   <li>for a merge: the run merges the path's files, and when each edit was made every node
 *       held the common version in its index, under one version vector, and kept it as a merge
 *       base (a node that had already recorded the other edit counts if it held it before that
 *       one) (a device without it, a relay say, keeps a conflict copy, as the rule says);</li>
 *   <li>lines next to each other are skipped (the merge treats touching hunks as overlapping;
 *       whether two such edits touch is the merge's detail, not this claim's).</li>
 * </ul>
 * Judged from what the users did and what the folders hold; the engine's state is consulted
 * only to decide whether the common version was kept, never for the outcome.
 */
final class NoteMergeChecker {

  /**
   * One line edit a user made: on node {@code node}, at {@code path}, over {@code seen} (null
   * where there was no file), making {@code made}, replacing line {@code line}; just before it,
   * the nodes in {@code basesKept} held {@code seen} as the path's index record, under the
   * vector given, and kept it as a merge base.
   */
  record LineEdit(int node, String path, byte[] seen, byte[] made, int line, Map<Integer, VersionVector> basesKept) {}

  /** What the check found, for the run's statistics. */
  record Counts(int merged, int keptAsCopy) {}

  private final ClusterContext cluster;

  NoteMergeChecker(ClusterContext cluster) {
    this.cluster = cluster;
  }

  /**
   * The nodes that hold {@code seen} at {@code path} as their index record and keep it as a
   * merge base, with the record's version vector.
   */
  static Map<Integer, VersionVector> basesKept(ClusterContext cluster, String path, byte[] seen) {
    Map<Integer, VersionVector> out = new java.util.HashMap<>();
    if (seen == null) {
      return out;
    }
    RelativePath p = RelativePath.of(path);
    Sha256 hash = MergeBases.contentHashOf(seen);
    for (ClusterNode n : cluster.nodes) {
      Optional<FileRecord> r = n.store().local(p).map(e -> e.record())
          .filter(x -> x.isLiveFile() && x.contentHash().equals(hash));
      if (r.isEmpty() || n.mergeBases() == null) {
        continue;
      }
      VersionVector v = r.get().version();
      try {
        if (n.mergeBases().bases(p).stream().anyMatch(b -> b.version().equals(v) && b.contentHash().equals(hash))
            && n.mergeBases().content(hash).isPresent()) {
          out.put(n.index(), v);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /**
   * Whether, just before one edit or the other, every node held the common version as its index
   * record under one version vector and kept it as a merge base.
   */
  private boolean baseEverywhere(LineEdit a, LineEdit b) {
    Map<Integer, VersionVector> all = new java.util.HashMap<>(a.basesKept());
    all.putAll(b.basesKept());
    return all.size() == cluster.nodes.size() && new java.util.HashSet<>(all.values()).size() == 1;
  }

  Counts check() {
    int merged = 0;
    int copies = 0;
    if (cluster.nodes.stream().anyMatch(n -> n.diskFails)) {
      return new Counts(0, 0);
    }
    List<LineEdit> edits = cluster.lineEdits;
    for (int i = 0; i < edits.size(); i++) {
      for (int j = i + 1; j < edits.size(); j++) {
        LineEdit a = edits.get(i);
        LineEdit b = edits.get(j);
        if (a.node() == b.node() || !a.path().equals(b.path()) || a.seen() == null || !Arrays.equals(a.seen(), b.seen())
            || Math.abs(a.line() - b.line()) == 1 || !onlySurvivors(a.path(), a.made(), b.made())
            || nameClashes(a.path()) || chmodsAfter(a.path()) > i
            || removedSinceCommonVersion(a.path(), a.seen())) {
          continue;
        }
        boolean merging = cluster.options.mergeable().accepts(RelativePath.of(a.path()), a.made().length)
            && cluster.options.mergeable().accepts(RelativePath.of(a.path()), b.made().length);
        if (a.line() != b.line() && merging) {
          if (baseEverywhere(a, b)) {
            checkMerged(a, b);
            merged++;
          }
        } else {
          checkKeptAsCopy(a, b);
          copies++;
        }
      }
    }
    return new Counts(merged, copies);
  }

  /**
   * Whether some node reports {@code path} (or a copy of it) as a name its file system cannot
   * hold, or a user made something at a case variant of it: on a Mac or Windows node the two are
   * one name, and what each node ends with is the name rules' business.
   */
  /**
   * How many line edits had been made when a user last changed the bit of {@code path}, under
   * any case of its name: on a Mac or Windows node a chmod of A.md changes a.md.
   */
  private int chmodsAfter(String path) {
    int last = 0;
    for (Map.Entry<String, Integer> c : cluster.chmodAfterEdits.entrySet()) {
      if (c.getKey().equalsIgnoreCase(path)) {
        last = Math.max(last, c.getValue());
      }
    }
    return last;
  }

  private boolean nameClashes(String path) {
    return cluster.nodes.stream().anyMatch(n -> n.refusesOrACopyOf(path))
        || cluster.history.versions().stream().anyMatch(v -> !v.path.equals(path) && v.path.equalsIgnoreCase(path));
  }

  /**
   * Whether the versions of {@code path} no user (possibly) superseded, merges aside, are exactly
   * the two edits, and they are live: a user who replaced or removed a merge of them saw both,
   * which leaves them possibly superseded, and the pair is skipped.
   */
  private boolean onlySurvivors(String path, byte[] x, byte[] y) {
    Sha256 cx = Sha256.of(x);
    Sha256 cy = Sha256.of(y);
    List<Sha256> alive = new ArrayList<>();
    for (WriteHistory.Version v : cluster.history.versions()) {
      if (!v.folder && v.path.equals(path) && v.sources.isEmpty() && v.state != WriteHistory.State.SUPERSEDED) {
        if (v.state != WriteHistory.State.LIVE) {
          return false;
        }
        alive.add(v.content);
      }
    }
    return alive.size() == 2 && alive.contains(cx) && alive.contains(cy) && !cx.equals(cy);
  }

  /**
   * Whether a user deleted the file at {@code path}, or renamed it away, after the common
   * version {@code seen} was first made there. Whatever that user removed, what the path ends
   * with is then their doing, not the pair's: a third edit made at once with the two, which won
   * over both (its line touching theirs, say) and which a user then deleted, leaves both edits in
   * conflict copies and nothing at the path, as the rule says of a delete after a conflict.
   * (A third version still alive at the end is {@link #onlySurvivors}'s; one replaced by an edit
   * leaves that edit, alive or in turn removed.)
   */
  private boolean removedSinceCommonVersion(String path, byte[] seen) {
    Sha256 common = Sha256.of(seen);
    long made = cluster.history.versions().stream()
        .filter(v -> !v.folder && v.path.equals(path) && v.content.equals(common))
        .mapToLong(v -> v.order).min().orElse(0L);
    return cluster.history.lastFileRemoval(path) > made;
  }

  private void checkMerged(LineEdit a, LineEdit b) {
    List<byte[]> lines = lines(a.seen());
    lines.set(a.line(), lines(a.made()).get(a.line()));
    lines.set(b.line(), lines(b.made()).get(b.line()));
    byte[] expected = join(lines);
    for (ClusterNode n : cluster.nodes) {
      FolderTree tree = FolderTree.of(n.folder());
      FolderTree.Entry at = tree.entries().get(a.path());
      if (!(at instanceof FolderTree.File f) || !f.content().equals(Sha256.of(expected))) {
        throw cluster.fail("merged notes", n.name() + ": " + a.path() + " should hold both line edits (" + describe(a)
            + "; " + describe(b) + ") merged into:\n" + text(expected) + "but holds " + at + "\n" + tree, null);
      }
      List<String> copies = copiesOf(tree, a.path(), List.of(Sha256.of(a.made()), Sha256.of(b.made())));
      if (!copies.isEmpty()) {
        throw cluster.fail("merged notes", n.name() + ": the line edits of " + a.path() + " (" + describe(a) + "; "
            + describe(b) + ") were merged, yet conflict copies of them exist: " + copies + "\n" + tree, null);
      }
    }
  }

  private void checkKeptAsCopy(LineEdit a, LineEdit b) {
    Sha256 ca = Sha256.of(a.made());
    Sha256 cb = Sha256.of(b.made());
    for (ClusterNode n : cluster.nodes) {
      FolderTree tree = FolderTree.of(n.folder());
      FolderTree.Entry at = tree.entries().get(a.path());
      Sha256 winner = at instanceof FolderTree.File f ? f.content() : null;
      Sha256 loser = ca.equals(winner) ? cb : cb.equals(winner) ? ca : null;
      boolean copied = loser != null && tree.entries().entrySet().stream().anyMatch(e -> e.getValue() instanceof FolderTree.File f
          && f.content().equals(loser) && WriteHistory.isConflictCopyOf(e.getKey(), a.path()));
      if (!copied) {
        throw cluster.fail("merged notes", n.name() + ": the overlapping line edits of " + a.path() + " (" + describe(a)
            + "; " + describe(b) + ") should end as one at the path and the other in a conflict copy\n" + tree, null);
      }
    }
  }

  /** The conflict copies of {@code path} in {@code tree} that hold one of {@code contents}. */
  private static List<String> copiesOf(FolderTree tree, String path, List<Sha256> contents) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, FolderTree.Entry> e : tree.entries().entrySet()) {
      if (WriteHistory.isConflictCopyOf(e.getKey(), path) && e.getValue() instanceof FolderTree.File f
          && contents.contains(f.content())) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  private String describe(LineEdit e) {
    return "line " + e.line() + " on " + cluster.nodes.get(e.node()).name();
  }

  /** The lines of {@code text}, each with its terminator. */
  static List<byte[]> lines(byte[] text) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\n') {
        out.add(Arrays.copyOfRange(text, start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length) {
      out.add(Arrays.copyOfRange(text, start, text.length));
    }
    return out;
  }

  static byte[] join(List<byte[]> lines) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] l : lines) {
      out.writeBytes(l);
    }
    return out.toByteArray();
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
