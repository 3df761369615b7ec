package dev.jsync.testkit;

import dev.jsync.core.ConflictCopies;
import dev.jsync.core.MergeRule;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.merge.MergeableFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything users did to the cluster's folders, from the users' point of view, and the two
 * invariants that follow from it: no lost write and no resurrection.
 *
 * <h2>Versions</h2>
 *
 * <p>Each user operation that leaves something at a path is a <em>version</em>: a write, an
 * append, a chmod, the target of a rename, a mkdir (and the folders a write or rename creates
 * on its way). A file version is known by its content and executable bit. The simulator makes
 * every write's content unique, so equal contents mean the same write (moved, copied or
 * chmodded). Saving a file unchanged, or renaming one onto identical content, is a touch of
 * that path, not a version (the engine, rightly, announces nothing for it).
 *
 * <h2>"Causally followed", precisely</h2>
 *
 * <p>The ground truth is what a user could see on disk, never the engine's version vectors (a
 * checker that trusted them could not catch an engine that claims to include a version it
 * never held). A version is <em>superseded</em> when a user, on some node, removes or replaces
 * it while it is on that node's disk: a write, append, chmod, delete or rename at the path
 * where it is, or at one of its conflict copies ({@code <name>.conflict-*.bak} beside it),
 * after it was made. Since the user saw it, later versions made there follow it causally. So:
 * <ul>
 *   <li>an edit on the same node after the version synced there supersedes it;</li>
 *   <li>a delete on a node that holds it supersedes it; one on a node that does not yet hold
 *       it (a concurrent delete) does not;</li>
 *   <li>overwriting one's own unsynced write supersedes it too (the user replaced it).</li>
 * </ul>
 * What the user saw is matched against versions by path, content and executable bit. If that
 * matches exactly one version made earlier, it is superseded; if it matches several (a chmod
 * made on two nodes, content the user recreated), the checker cannot tell which one the user
 * saw, and marks each <em>possibly superseded</em>: no longer required to survive, but still
 * allowed to exist. Versions already superseded count among the matches, since one may still
 * be on the disk the user looks at; and a version identical to one already superseded at its
 * path (a chmod +x and -x, a rename there and back) is only possibly alive from the start. Both invariants are thus checked without false alarms, and are exact for
 * generated scripts, whose contents are unique.
 *
 * <h2>The invariants</h2>
 *
 * <ul>
 *   <li><b>No lost write</b>: once converged, every file version that is not (possibly)
 *       superseded is on every node: at its path with its content and executable bit, or at a
 *       conflict copy of it with its content. (At its path the bit may differ only where another
 *       surviving version of the path has the same content with the other bit: equal contents
 *       merge, keeping one. A copy's bit is best effort: copies of one loser made on several
 *       devices, some before a chmod, merge like any equal contents.)</li>
 *   <li><b>No resurrection</b>: once converged, every file that is not a conflict copy holds
 *       the content of a version of its path that is not superseded; every folder is a version
 *       of its path that is not superseded, or holds something, or had something made inside it
 *       that was alive when a user last removed it, or since (an edit inside a folder that a
 *       user removed elsewhere, unaware of it, contradicts the removal and brings the folder
 *       back). A delete that no concurrent edit contradicts therefore stays deleted.</li>
 * </ul>
 *
 * <h2>Merged notes</h2>
 *
 * <p>Where the run merges notes ({@link #mergeable}), an engine writes text no user wrote: the
 * merge of two concurrent versions of a note. Such a file is recognised ({@link #recogniseMerge})
 * when some three texts of versions of its path (a base and two sides, each one a user's version
 * or a merge recognised earlier) merge into exactly its bytes, and it is then recorded as a
 * version of its own whose sources are the two sides. For both invariants it counts as any
 * version: it must survive unless a user superseded it, and it may be at its path while not
 * superseded. A source survives in a merge that includes it (directly, or through another
 * merge) at its path or at a conflict copy of it. A user who replaces or removes a merge saw its
 * sources' edits in it: they are then possibly superseded.
 *
 * <p>Not thread-safe; used on the simulation's thread.
 */
final class WriteHistory {

  enum State { LIVE, POSSIBLY_SUPERSEDED, SUPERSEDED }

  /** One version a user made. */
  static final class Version {
    final long order;
    final String node;
    final String path;
    final boolean folder;
    final Sha256 content;
    final boolean executable;
    final String operation;
    State state = State.LIVE;
    /** When it stopped being live (the order of the removal), 0 while live. */
    long supersededAt;
    /** For a merge an engine made: the versions of the two sides it merged; empty for a user's. */
    List<Version> sources = List.of();

    Version(long order, String node, String path, boolean folder, Sha256 content, boolean executable,
        String operation) {
      this.order = order;
      this.node = node;
      this.path = path;
      this.folder = folder;
      this.content = content;
      this.executable = executable;
      this.operation = operation;
    }

    @Override
    public String toString() {
      return (folder ? "folder " : "file " + content.toString().substring(0, 12) + (executable ? " +x " : " "))
          + path + " made by " + operation + " on " + node + (state == State.LIVE ? "" : " (" + state + ")");
    }
  }

  /** What a user saw at a path just before changing it. */
  sealed interface Seen {}

  record SeenFile(Sha256 content, boolean executable) implements Seen {}

  record SeenFolder() implements Seen {}

  private final List<Version> versions = new ArrayList<>();
  private final Set<Sha256> contents = new HashSet<>();
  private final Map<String, Long> lastFolderRemoval = new java.util.HashMap<>();
  /** Per path, when a user last removed the file there and left nothing (a delete, a rename away). */
  private final Map<String, Long> lastFileRemoval = new java.util.HashMap<>();
  /** Contents a user overwrote or deleted on each node: gone from that disk by the user's own hand. */
  private final Map<String, Set<Sha256>> discarded = new java.util.HashMap<>();
  /** The bytes of small contents users made or saw, to recognise merges of them. */
  private final Map<Sha256, byte[]> texts = new java.util.HashMap<>();
  /** Which files the engines merge; none unless the run merges notes. */
  private MergeableFiles mergeable = MergeableFiles.none();
  private long order;

  /** The largest content whose text is remembered for recognising merges: the largest note merged. */
  static final int MAX_TEXT = (int) MergeableFiles.DEFAULT_MAX_BYTES;

  /** Sets which files the engines of this run merge (docs/conflicts.md, "Merging notes"). */
  void mergeable(MergeableFiles m) {
    this.mergeable = java.util.Objects.requireNonNull(m);
  }

  /**
   * For each content, the contents it was made from: what a user saw and changed into it, or
   * the sides of a merge. A text made from another is its descendant, never a common version of it.
   */
  private final Map<Sha256, Set<Sha256>> madeFrom = new java.util.HashMap<>();

  /**
   * Records that a user changed a file holding {@code seen} into one holding {@code made}. Only
   * where {@code made} is new: a content written again (an empty file, a text restored) keeps
   * the origin of its first making, which came before {@code seen} may even have existed; an edge
   * from the second making would make earlier texts made from it look like descendants of
   * {@code seen}, and a merge with such a text as its base would not be recognised.
   */
  void editedFrom(Sha256 made, Sha256 seen) {
    if (!contents.contains(made)) {
      madeFrom(made, seen);
    }
  }

  private void madeFrom(Sha256 made, Sha256 from) {
    if (!made.equals(from)) {
      madeFrom.computeIfAbsent(made, k -> new HashSet<>()).add(from);
    }
  }

  /** Whether {@code text} was made, directly or through others, from {@code ancestor}. */
  private boolean descends(Sha256 text, Sha256 ancestor) {
    java.util.ArrayDeque<Sha256> todo = new java.util.ArrayDeque<>(List.of(text));
    Set<Sha256> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Sha256 t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      for (Sha256 parent : madeFrom.getOrDefault(t, Set.of())) {
        if (parent.equals(ancestor)) {
          return true;
        }
        todo.add(parent);
      }
    }
    return false;
  }

  /** Remembers the bytes of {@code content}, if small, for recognising merges. */
  void text(Sha256 content, byte[] bytes) {
    if (bytes.length <= MAX_TEXT) {
      texts.putIfAbsent(content, bytes.clone());
    }
  }

  /** Records a version made at {@code path}. */
  void made(String node, String path, Seen what, String operation) {
    order++;
    if (what instanceof SeenFile f) {
      Version v = new Version(order, node, path, false, f.content(), f.executable(), operation);
      // The very same version as one already superseded here (a chmod +x and -x, a rename there
      // and back): nothing on disk tells them apart, so this one is only possibly alive.
      if (versions.stream().anyMatch(o -> !o.folder && o.path.equals(path) && o.content.equals(v.content)
          && o.executable == v.executable && o.state != State.LIVE)) {
        v.state = State.POSSIBLY_SUPERSEDED;
        v.supersededAt = order;
      }
      versions.add(v);
      contents.add(f.content());
    } else {
      versions.add(new Version(order, node, path, true, null, false, operation));
    }
  }

  /**
   * Records that a user on {@code node} overwrote or deleted a file holding {@code seen}: its
   * content left that disk by the user's hand, so that node's version store need not keep it.
   */
  void discarded(String node, Seen seen) {
    if (seen instanceof SeenFile f) {
      discarded.computeIfAbsent(node, k -> new HashSet<>()).add(f.content());
    }
  }

  /** Whether a user on {@code node} ever overwrote or deleted a file holding {@code content} there. */
  boolean discardedOn(String node, Sha256 content) {
    return discarded.getOrDefault(node, Set.of()).contains(content);
  }

  /** Records that a user removed or replaced {@code seen} at {@code path}. */
  void removed(String path, Seen seen) {
    order++;
    List<Version> exact = new ArrayList<>();
    List<Version> byContent = new ArrayList<>();
    // Superseded versions count too: the user may be looking at one of them (it lives on where
    // its supersession has not arrived), which makes a match with another version ambiguous.
    for (Version v : versions) {
      if (v.order >= order) {
        continue;
      }
      if (seen instanceof SeenFolder) {
        if (v.folder && v.path.equals(path)) {
          exact.add(v);
        }
        continue;
      }
      SeenFile f = (SeenFile) seen;
      if (!v.folder && v.content.equals(f.content()) && (v.path.equals(path) || isConflictCopyOf(path, v.path))) {
        byContent.add(v);
        if (v.executable == f.executable()) {
          exact.add(v);
        }
      }
    }
    if (seen instanceof SeenFolder) {
      lastFolderRemoval.put(path, order);
    }
    List<Version> candidates = exact.isEmpty() ? byContent : exact;
    if (candidates.size() == 1) {
      supersede(candidates.get(0), State.SUPERSEDED);
    } else {
      for (Version v : candidates) {
        if (v.state == State.LIVE) {
          supersede(v, State.POSSIBLY_SUPERSEDED);
        }
      }
    }
  }

  /**
   * Records that a user removed {@code seen} at {@code path} and left nothing there (a delete,
   * or a rename to another path): {@link #removed} and the time of it, for
   * {@link #lastFileRemoval}.
   */
  void emptied(String path, Seen seen) {
    removed(path, seen);
    lastFileRemoval.put(path, order);
  }

  /**
   * When (in the order of {@link Version#order}) a user last deleted or renamed away the file at
   * {@code path}, 0 if no user ever did.
   */
  long lastFileRemoval(String path) {
    return lastFileRemoval.getOrDefault(path, 0L);
  }

  private void supersede(Version v, State state) {
    v.state = state;
    if (v.supersededAt == 0) {
      v.supersededAt = order;
    }
    // A user who replaced a merge saw the edits of both its sides in it.
    for (Version source : v.sources) {
      if (source.state == State.LIVE) {
        supersede(source, State.POSSIBLY_SUPERSEDED);
      }
    }
  }

  /**
   * Recognises {@code bytes}, found at {@code path} on {@code node} and written by no user, as a
   * merge an engine made (see "Merged notes" above): if three texts of versions of
   * {@code path} merge into exactly these bytes, records the merge as a version whose sources
   * are the sides of every such three, and returns true. False when the run merges no such file or no three texts merge into them.
   */
  boolean recogniseMerge(String node, String path, byte[] bytes, boolean executable) {
    Sha256 content = Sha256.of(bytes);
    if (contents.contains(content)) {
      return true;
    }
    RelativePath p;
    try {
      p = RelativePath.of(path);
    } catch (RuntimeException e) {
      return false;
    }
    if (bytes.length > MAX_TEXT || !mergeable.accepts(p, bytes.length)) {
      return false;
    }
    List<Sha256> known = new ArrayList<>();
    for (Version v : versions) {
      if (!v.folder && v.path.equals(path) && texts.containsKey(v.content) && !known.contains(v.content)) {
        known.add(v.content);
      }
    }
    // Every three texts that merge into these bytes: a merge of a merge and a third edit may
    // equal a merge of the first merge's sides with that edit, and it holds all of them.
    Set<Sha256> sides = new java.util.LinkedHashSet<>();
    for (Sha256 base : known) {
      for (int i = 0; i < known.size(); i++) {
        for (int j = i + 1; j < known.size(); j++) {
          Sha256 a = known.get(i);
          Sha256 b = known.get(j);
          // A base made from one of the sides is a later text, not their common version: a
          // merge of a merge with an edit of one side can look like such a triple.
          if (a.equals(base) || b.equals(base) || descends(base, a) || descends(base, b)) {
            continue;
          }
          java.util.Optional<byte[]> merged = MergeRule.merge(texts.get(base), texts.get(a), texts.get(b));
          if (merged.isPresent() && java.util.Arrays.equals(merged.get(), bytes)) {
            sides.add(a);
            sides.add(b);
          }
        }
      }
    }
    if (sides.isEmpty()) {
      return false;
    }
    order++;
    Version m = new Version(order, node, path, false, content, executable, "merge of " + sides.stream()
        .map(c -> c.toString().substring(0, 12)).collect(java.util.stream.Collectors.joining(" and ")));
    m.sources = versions.stream().filter(v -> !v.folder && v.path.equals(path) && sides.contains(v.content)).toList();
    versions.add(m);
    contents.add(content);
    text(content, bytes);
    for (Sha256 side : sides) {
      madeFrom(content, side);
    }
    return true;
  }

  /**
   * Records a merge an engine on {@code node} reports it wrote at {@code path}
   * ({@link dev.jsync.core.SyncEvent.FileMerged}) whose bytes a merge elsewhere made first: two
   * devices that merge the same edits apart write the same bytes, each a version of its own. The
   * first is recognised when it appears ({@link #recogniseMerge}); this one is a version too,
   * concurrent with whatever a user made of the first on another device meanwhile, so the rule,
   * not the first's supersession, decides whether it stays. Like any version equal to one
   * already superseded ({@link #made}), it is then only possibly alive. Nothing is recorded when
   * this node made those bytes already, or when no merge made them first (then the merge is
   * recognised from its bytes as any other).
   */
  void mergedAgain(String node, String path, byte[] bytes, boolean executable) {
    Sha256 content = Sha256.of(bytes);
    List<Version> same = new ArrayList<>();
    for (Version v : versions) {
      if (!v.folder && v.path.equals(path) && v.content.equals(content)) {
        if (v.node.equals(node)) {
          return;
        }
        same.add(v);
      }
    }
    if (same.stream().allMatch(v -> v.sources.isEmpty())) {
      return;
    }
    order++;
    Version m = new Version(order, node, path, false, content, executable, "merge made again");
    Set<Version> sources = new java.util.LinkedHashSet<>();
    same.forEach(v -> sources.addAll(v.sources));
    m.sources = List.copyOf(sources);
    if (same.stream().anyMatch(v -> v.state != State.LIVE)) {
      m.state = State.POSSIBLY_SUPERSEDED;
      m.supersededAt = order;
    }
    versions.add(m);
  }

  /** Whether {@code merge} is a merge whose sides include {@code v}, directly or through other merges. */
  private static boolean includes(Version merge, Version v) {
    for (Version s : merge.sources) {
      if (s == v || includes(s, v)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some user wrote this content somewhere. */
  boolean isKnownContent(Sha256 content) {
    return contents.contains(content);
  }

  List<Version> versions() {
    return List.copyOf(versions);
  }

  /** Versions that must survive but are missing from {@code tree}. */
  List<String> lostWrites(FolderTree tree) {
    return lostWrites(tree, path -> false);
  }

  /** As {@link #lostWrites(FolderTree)}, excusing versions at paths {@code refused} names. */
  List<String> lostWrites(FolderTree tree, java.util.function.Predicate<String> refused) {
    List<String> out = new ArrayList<>();
    for (Version v : versions) {
      // A merge is no user's write: its sides are judged on their own (each survives as itself or
      // inside a merge that includes it), and a later merge of it with another edit may carry its
      // edits without being recognised as including it (one set of bytes, several ways to make it).
      if (v.folder || v.state != State.LIVE || refused.test(v.path) || !v.sources.isEmpty()) {
        continue;
      }
      // The executable bit counts too, unless another surviving version of the path has the
      // same content with the other bit: then the two were concurrent, and the rule that merges
      // equal contents keeps one bit (docs/conflicts.md).
      boolean eitherBit = versions.stream().anyMatch(o -> !o.folder && o.state != State.SUPERSEDED
          && o.path.equals(v.path) && o.content.equals(v.content) && o.executable != v.executable);
      boolean found = false;
      for (Map.Entry<String, FolderTree.Entry> e : tree.entries().entrySet()) {
        if (e.getValue() instanceof FolderTree.File f && f.content().equals(v.content)
            && (e.getKey().equals(v.path) ? eitherBit || f.executable() == v.executable
                : isConflictCopyOf(e.getKey(), v.path))) {
          found = true;
          break;
        }
        // Merged into a note that holds it (at its path, or kept as a conflict copy of it).
        if (e.getValue() instanceof FolderTree.File f && (e.getKey().equals(v.path) || isConflictCopyOf(e.getKey(), v.path))
            && versions.stream().anyMatch(m -> !m.sources.isEmpty() && m.content.equals(f.content())
                && m.path.equals(v.path) && includes(m, v))) {
          found = true;
          break;
        }
      }
      if (!found) {
        out.add(v.toString());
      }
    }
    return out;
  }

  /** Paths in {@code tree} that no surviving version accounts for. */
  List<String> resurrections(FolderTree tree) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, FolderTree.Entry> e : tree.entries().entrySet()) {
      String path = e.getKey();
      FolderTree.Entry entry = e.getValue();
      if (entry instanceof FolderTree.File f) {
        if (isConflictCopy(path)) {
          if (!contents.contains(f.content())) {
            out.add(path + ": a conflict copy of content no user wrote");
          }
          continue;
        }
        boolean justified = versions.stream().anyMatch(v -> !v.folder && v.path.equals(path)
            && v.content.equals(f.content()) && v.state != State.SUPERSEDED);
        if (!justified) {
          out.add(path + ": " + entry + ", but every version of it with that content was superseded"
              + describe(path));
        }
      } else if (entry instanceof FolderTree.Folder) {
        boolean made = versions.stream().anyMatch(v -> v.folder && v.path.equals(path) && v.state != State.SUPERSEDED);
        String below = tree.entries().higherKey(path + "/");
        boolean holdsSomething = below != null && below.startsWith(path + "/");
        // Something made inside it that was alive when it was last removed, or made since: a
        // concurrent edit that contradicted the removal, and brought the folder back.
        long removed = lastFolderRemoval.getOrDefault(path, 0L);
        boolean contradicted = versions.stream().anyMatch(v -> v.path.startsWith(path + "/")
            && (v.order > removed || v.supersededAt == 0 || v.supersededAt > removed));
        if (!made && !holdsSomething && !contradicted) {
          out.add(path + ": an empty folder that a user removed" + describe(path));
        }
      }
    }
    return out;
  }

  private String describe(String path) {
    StringBuilder b = new StringBuilder();
    for (Version v : versions) {
      if (v.path.equals(path)) {
        b.append("\n      ").append(v);
      }
    }
    return b.toString();
  }

  /**
   * Whether {@code path} is a conflict copy of {@code original}: beside it, named after it
   * ({@code <name>.conflict-….bak}, or for a note {@code <stem>.conflict-….<ext>}).
   */
  static boolean isConflictCopyOf(String path, String original) {
    int slash = original.lastIndexOf('/');
    String dir = original.substring(0, slash + 1);
    String name = original.substring(slash + 1);
    if (!path.startsWith(dir) || path.indexOf('/', dir.length()) >= 0) {
      return false;
    }
    if (path.startsWith(name + ConflictCopies.MARKER, dir.length()) && path.endsWith(ConflictCopies.EXTENSION)) {
      return true;
    }
    int dot = name.lastIndexOf('.');
    return dot > 0 && path.startsWith(name.substring(0, dot) + ConflictCopies.MARKER, dir.length())
        && path.endsWith(name.substring(dot)) && isConflictCopy(path);
  }

  static boolean isConflictCopy(String path) {
    try {
      return ConflictCopies.isConflictCopy(dev.jsync.core.RelativePath.of(path));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
