package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.Causality;
import dev.jsync.core.Decision;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.Reconciler;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.VersionVector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last moments before a peer's version replaces a file, and the first after: a save that
 * lands while the old version is being kept (or a conflict copy made) is not overwritten; a
 * save right after the rename is read again instead of passing for the peer's version; and a
 * file hashed within the timestamp granularity of its last write is read again by the next scan.
 */
class FinalCheckTest {

  private static final DeviceId PEER = DeviceId.fromName("peer");

  @TempDir Path root;
  private EngineRig rig;

  @Test
  void aSaveWhileTheOldVersionIsKeptCallsTheRenameOff() throws IOException {
    Files.writeString(root.resolve("doc.txt"), "ours");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    AtomicBoolean saved = new AtomicBoolean();
    // Keeping a large old version takes a while; the user saves meanwhile.
    rig.engine.versionKeeper((path, file, reason, by) -> {
      if (saved.compareAndSet(false, true)) {
        Files.writeString(file, "saved while the old version was kept");
      }
      return Optional.empty();
    });
    FileRecord theirs = followingLocal("doc.txt", "the peer's edit");

    rig.engine.applier.applyPulled(decide(theirs), PEER, pulled(theirs, "the peer's edit"));
    rig.runReady();

    assertThat(saved).isTrue();
    assertThat(root.resolve("doc.txt")).hasContent("saved while the old version was kept");
    FileRecord now = local("doc.txt");
    assertThat(now.size()).as("the save was recorded by a rescan").isEqualTo("saved while the old version was kept".length());
    assertThat(now.modifiedBy()).isEqualTo(EngineRig.SELF);
  }

  @Test
  void aSaveRightAfterTheRenameIsReadAgainNotRecordedAsThePeersVersion() throws IOException {
    Files.writeString(root.resolve("doc.txt"), "ours");
    rig = new EngineRig(root, SyncOptions.defaults()).started();
    FileRecord theirs = followingLocal("doc.txt", "the peer's edit");
    AtomicBoolean saved = new AtomicBoolean();
    rig.disk.afterMove = to -> {
      if (to.getFileName().toString().equals("doc.txt") && saved.compareAndSet(false, true)) {
        try {
          Files.writeString(to, "a save just after the rename");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };

    rig.engine.applier.applyPulled(decide(theirs), PEER, pulled(theirs, "the peer's edit"));
    rig.runReady();

    assertThat(saved).isTrue();
    assertThat(root.resolve("doc.txt")).hasContent("a save just after the rename");
    FileRecord now = local("doc.txt");
    assertThat(now.contentHash()).as("the save is a version of its own").isNotEqualTo(theirs.contentHash());
    assertThat(now.size()).isEqualTo("a save just after the rename".length());
    assertThat(now.version().compare(theirs.version())).as("made on top of the peer's version")
        .isEqualTo(Causality.AFTER);
  }

  @Test
  void aSameSizeRewriteInTheTickOfTheScanIsFoundByTheNextScan() throws IOException {
    Path doc = root.resolve("doc.txt");
    Files.writeString(doc, "draft one");
    rig = new EngineRig(root, SyncOptions.defaults());
    FileTime tick = FileTime.from(rig.engine.nowNanos(), TimeUnit.NANOSECONDS);
    Files.setLastModifiedTime(doc, tick); // written in the very tick the start-up scan looks
    rig.started();
    FileRecord before = local("doc.txt");
    rewriteInPlace(doc, "draft two", tick); // same size, same time stamp, same inode

    rig.engine.requestScan(List.of(RelativePath.of("doc.txt"))); // the watcher's event for the rewrite
    rig.runReady();

    FileRecord now = local("doc.txt");
    assertThat(now.contentHash()).as("the rewrite was hashed and recorded").isNotEqualTo(before.contentHash());
    assertThat(now.size()).isEqualTo(before.size());

    // Once its time stamp is older than the granularity, its stat is trusted again.
    rig.advance(Duration.ofSeconds(3));
    rig.engine.requestScan(List.of(RelativePath.of("doc.txt")));
    rig.runReady();
    assertThat(rig.engine.changes.racy().isRacy(RelativePath.of("doc.txt"),
        rig.store.local(RelativePath.of("doc.txt")).orElseThrow().stat().orElseThrow())).isFalse();
  }

  /** Writes {@code content} over the start of {@code file} in place and puts its time back. */
  private static void rewriteInPlace(Path file, String content, FileTime time) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
    }
    Files.setLastModifiedTime(file, time);
  }

  /** A peer's edit of {@code path} made on top of our version (so it replaces ours without a copy). */
  private FileRecord followingLocal(String path, String content) {
    FileRecord mine = local(path);
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    List<BlockInfo> blocks = List.of(new BlockInfo(0, data.length, Sha256.of(data)));
    return FileRecord.file(mine.path(), data.length, 1_000_000_000L, false, blocks,
        HashedContent.contentHashOf(blocks), mine.version().increment(PEER, 1), PEER).withSequence(1);
  }

  private Applier.PulledFile pulled(FileRecord theirs, String content) throws IOException {
    Path temp = root.resolve(FileAssembly.tempName(theirs));
    Files.writeString(temp, content);
    Files.setLastModifiedTime(temp, FileTime.from(theirs.modifiedNanos(), TimeUnit.NANOSECONDS));
    return new Applier.PulledFile(temp, theirs, content.length(), 0);
  }

  private Decision.Apply decide(FileRecord remote) {
    Optional<FileRecord> local = rig.store.local(remote.path()).map(e -> e.record());
    Decision d = new Reconciler(SyncOptions.defaults().resolver()).decide(local, remote);
    assertThat(d).isInstanceOf(Decision.Apply.class);
    return (Decision.Apply) d;
  }

  private FileRecord local(String path) {
    return rig.store.local(RelativePath.of(path)).orElseThrow().record();
  }
}
