package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.VersionVector;
import dev.jsync.core.merge.MergeBases;
import dev.jsync.core.merge.MergeableFiles;
import dev.jsync.core.store.StoreBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NoteMerges#recorded}: which merge bases a device drops when it records a later version
 * (docs/conflicts.md, "The common version"). This device is a relay that has met only the
 * laptop: the laptop's edit of the note's common version reaches it from the laptop, which holds
 * it, and the question is whether the common version stays a base.
 */
class NoteMergesTest {

  private static final DeviceId LAPTOP = DeviceId.fromName("laptop");
  private static final DeviceId PI = DeviceId.fromName("pi");
  private static final DeviceId VPS = DeviceId.fromName("vps");
  private static final RelativePath NOTE = RelativePath.of("notes/plan.md");
  private static final String COMMON = "one\ntwo\nthree\nfour\nfive\n";
  private static final String LAPTOPS = "one\ntwo\nthree\nfour\nfive, from the laptop\n";
  private static final String SECOND = "one\ntwo, from the laptop\nthree\nfour\nfive, from the laptop\n";

  @TempDir Path dir;
  private EngineRig rig;
  private MergeBases bases;

  @BeforeEach
  void relay() throws IOException {
    Path root = dir.resolve("folder");
    Files.createDirectories(root.resolve("notes"));
    bases = MergeBases.open(dir.resolve("merge-bases"), MergeBases.DEFAULT_MAX_BYTES);
    rig = new EngineRig(root, SyncOptions.defaults().withMergeable(MergeableFiles.defaults()));
    rig.engine.mergeBases(bases);
    rig.started();
  }

  private static FileRecord note(String text, VersionVector version, DeviceId by) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return FileRecord.file(NOTE, bytes.length, 1_000, false, MergeBases.blocksOf(bytes),
        MergeBases.contentHashOf(bytes), version, by);
  }

  /** Puts {@code text} at the note and tells the engine it recorded it under {@code version}. */
  private void record(String text, VersionVector version, DeviceId by) throws IOException {
    Files.writeString(rig.root.resolve(NOTE.toString()), text);
    rig.engine.merges.recorded(note(text, version, by));
    rig.runReady();
  }

  private void peerHolds(DeviceId peer, FileRecord r) {
    rig.store.apply(new StoreBatch().putRemote(peer, r));
    rig.engine.peers.addKnown(peer);
  }

  private List<VersionVector> kept() throws IOException {
    return bases.bases(NOTE).stream().map(MergeBases.Base::version).toList();
  }

  /**
   * Every peer this device has met holds the laptop's second edit, but the pi, which wrote the
   * common version and is named in the edits' vectors, was never met: it may still hold the
   * common version and edit it, so the common version stays a base.
   */
  @Test
  void aVersionByADeviceNeverMetStaysABaseThoughEveryPeerMetHasMovedPast() throws IOException {
    VersionVector common = VersionVector.empty().increment(PI);
    VersionVector edit = common.increment(LAPTOP);
    VersionVector second = edit.increment(LAPTOP);
    record(COMMON, common, PI);
    record(LAPTOPS, edit, LAPTOP);
    peerHolds(LAPTOP, note(SECOND, second, LAPTOP));
    record(SECOND, second, LAPTOP);
    assertThat(kept()).containsExactly(common, edit, second);
  }

  /**
   * Once the pi is known to hold the second edit too, the common version goes; the first edit,
   * the latest version before the one this device holds, stays.
   */
  @Test
  void aBaseGoesOnceEveryDeviceNamedInTheVersionsIsKnownToHaveMovedPast() throws IOException {
    VersionVector common = VersionVector.empty().increment(PI);
    VersionVector edit = common.increment(LAPTOP);
    VersionVector second = edit.increment(LAPTOP);
    record(COMMON, common, PI);
    record(LAPTOPS, edit, LAPTOP);
    FileRecord laptops = note(SECOND, second, LAPTOP);
    peerHolds(LAPTOP, laptops);
    peerHolds(PI, laptops);
    record(SECOND, second, LAPTOP);
    assertThat(kept()).containsExactly(edit, second);
  }

  /**
   * The laptop's record names the vps, which this device never met: the laptop merged an edit of
   * the vps's that this device has not received, and that edit, concurrent with the laptop's,
   * may rest on the common version, so the common version stays.
   */
  @Test
  void aDeviceNamedOnlyInAPeersVersionMustBeKnownToHaveMovedPastToo() throws IOException {
    VersionVector common = VersionVector.empty().increment(LAPTOP);
    VersionVector edit = common.increment(LAPTOP);
    VersionVector second = edit.increment(LAPTOP);
    record(COMMON, common, LAPTOP);
    record(LAPTOPS, edit, LAPTOP);
    peerHolds(LAPTOP, note("merged elsewhere\n", second.increment(VPS), LAPTOP));
    record(SECOND, second, LAPTOP);
    assertThat(kept()).containsExactly(common, edit, second);
  }

  /**
   * The laptop wrote the common version and its edit, and holds the edit; it is the only device
   * this one knows of. A device never met and named in no version of the note (one that took the
   * common version through another relay) may still hold it and edit it, so the version right
   * before the one held stays whoever is known to have moved past.
   */
  @Test
  void theVersionRightBeforeTheOneHeldStaysForADeviceNoVersionNames() throws IOException {
    VersionVector common = VersionVector.empty().increment(LAPTOP);
    VersionVector edit = common.increment(LAPTOP);
    record(COMMON, common, LAPTOP);
    FileRecord laptops = note(LAPTOPS, edit, LAPTOP);
    peerHolds(LAPTOP, laptops);
    record(LAPTOPS, edit, LAPTOP);
    assertThat(kept()).containsExactly(common, edit);
  }

  /**
   * The note changed again before the I/O thread read the version just recorded: that version's
   * content is gone, so it is marked as skipped, and two later versions that both follow it find
   * no base instead of the version before it (which would take the skipped version's edit for a
   * change one side made and the other undid).
   */
  @Test
  void aVersionWhoseContentIsGoneBeforeItIsReadIsNeverPassedOverForAnOlderBase() throws IOException {
    VersionVector common = VersionVector.empty().increment(LAPTOP);
    VersionVector edit = common.increment(LAPTOP);
    record(COMMON, common, LAPTOP);
    java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();
    rig.io = held::add;
    Files.writeString(rig.root.resolve(NOTE.toString()), LAPTOPS);
    rig.engine.merges.recorded(note(LAPTOPS, edit, LAPTOP));
    Files.writeString(rig.root.resolve(NOTE.toString()), SECOND); // saved again before the read
    runAll(held);

    assertThat(kept()).containsExactly(common);
    // The pi took the edit and changed it; this device saved the note on top of the edit.
    assertThat(bases.baseOf(NOTE, edit.increment(LAPTOP), edit.increment(PI))).isEmpty();
    // A device still on the common version merges against it as before.
    assertThat(bases.baseOf(NOTE, edit.increment(LAPTOP), common.increment(PI)).map(MergeBases.Base::version))
        .contains(common);
  }

  private static FileRecord noteAt(RelativePath path, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return FileRecord.file(path, bytes.length, 1_000, false, MergeBases.blocksOf(bytes),
        MergeBases.contentHashOf(bytes), VersionVector.empty().increment(LAPTOP), LAPTOP);
  }

  /** Records {@code count} notes (on disk) while the I/O thread is held back; returns its tasks. */
  private java.util.ArrayDeque<Runnable> recordWhileTheDiskIsSlow(int count) throws IOException {
    java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();
    rig.io = tasks::add;
    for (int i = 0; i < count; i++) {
      RelativePath path = RelativePath.of("notes/n" + i + ".md");
      Files.writeString(rig.root.resolve(path.toString()), "note " + i + "\n");
      rig.engine.merges.recorded(noteAt(path, "note " + i + "\n"));
    }
    return tasks;
  }

  private static void runAll(java.util.ArrayDeque<Runnable> tasks) {
    for (Runnable t; (t = tasks.poll()) != null; ) {
      t.run();
    }
  }

  /**
   * A first scan records notes far faster than their content can be kept: what waits for the
   * I/O thread stays within the bound (not one task per note, each holding its record), the
   * recording thread runs the oldest steps itself when there is no room, and every version gets
   * its base.
   */
  @Test
  void theVersionsWaitingForTheirBasesAreBoundedWhateverTheScanRecords() throws IOException {
    int notes = NoteMerges.MAX_PENDING + 500;
    java.util.ArrayDeque<Runnable> tasks = recordWhileTheDiskIsSlow(notes);
    assertThat(rig.engine.merges.pending()).isEqualTo(NoteMerges.MAX_PENDING);
    assertThat(tasks).hasSize(1);
    assertThat(rig.engine.merges.ranInLine()).isEqualTo(500);
    assertThat(bases.bases(RelativePath.of("notes/n499.md"))).as("ran by the recording thread").hasSize(1);
    assertThat(bases.bases(RelativePath.of("notes/n500.md"))).as("still waiting").isEmpty();
    runAll(tasks);
    assertThat(rig.engine.merges.pending()).isZero();
    for (int i = 0; i < notes; i += 97) {
      assertThat(bases.bases(RelativePath.of("notes/n" + i + ".md"))).as("n%d", i).hasSize(1);
    }
    assertThat(bases.bases(RelativePath.of("notes/n" + (notes - 1) + ".md"))).hasSize(1);
  }

  /**
   * A delete that finds the queue full waits its turn like any step: the note's bases are
   * forgotten after the steps queued before it, not before (which would let a keep of the deleted
   * note, run after it, outlive the delete).
   */
  @Test
  void aDeleteThatFindsTheQueueFullIsForgottenAfterWhatWasQueuedBeforeIt() throws IOException {
    java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();
    rig.io = held::add;
    Files.writeString(rig.root.resolve(NOTE.toString()), COMMON);
    FileRecord live = note(COMMON, VersionVector.empty().increment(PI), PI);
    rig.engine.merges.recorded(live);
    for (int i = 0; i < NoteMerges.MAX_PENDING; i++) {
      RelativePath path = RelativePath.of("notes/n" + i + ".md");
      Files.writeString(rig.root.resolve(path.toString()), "note " + i + "\n");
      rig.engine.merges.recorded(noteAt(path, "note " + i + "\n"));
    }
    // The note's keep was the oldest step: the recording thread ran it to make room.
    assertThat(kept()).hasSize(1);
    rig.engine.merges.recorded(live.toTombstone(live.version().increment(LAPTOP), LAPTOP, 2_000));
    assertThat(rig.engine.merges.pending()).isEqualTo(NoteMerges.MAX_PENDING);
    runAll(held);
    assertThat(kept()).isEmpty();
    assertThat(bases.bases(RelativePath.of("notes/n0.md"))).hasSize(1);
  }

  /** A step that fails (here the executor refuses the task) does not stop later ones. */
  @Test
  void anExecutorThatRefusesOnceDoesNotStopTheKeeping() throws IOException {
    boolean[] refuse = {true};
    rig.io = task -> {
      if (refuse[0]) {
        refuse[0] = false;
        throw new java.util.concurrent.RejectedExecutionException("busy");
      }
      task.run();
    };
    record(COMMON, VersionVector.empty().increment(PI), PI);
    assertThat(kept()).isEmpty(); // queued, no task ran it
    RelativePath other = RelativePath.of("notes/other.md");
    Files.writeString(rig.root.resolve(other.toString()), "other\n");
    rig.engine.merges.recorded(noteAt(other, "other\n"));
    assertThat(kept()).hasSize(1);
    assertThat(bases.bases(other)).hasSize(1);
    assertThat(rig.engine.merges.pending()).isZero();
  }
}
