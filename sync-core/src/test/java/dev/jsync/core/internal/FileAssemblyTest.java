package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.LocalEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAssemblyTest {

  @TempDir
  Path dir;

  /**
   * A pull that fails closes its assembly while block writes may still be queued on I/O threads.
   * Such a late write must fail as an I/O error, which the pull accounts for; an unchecked
   * exception would escape the pull's bookkeeping and strand the path until a restart.
   */
  @Test
  void aWriteAfterCloseIsAnIoError() {
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    DeviceId me = DeviceId.fromName("me");
    FileRecord target = FileRecord.file(RelativePath.of("f.txt"), data.length, 0, false,
        List.of(new BlockInfo(0, data.length, Sha256.of(data))), Sha256.of(data),
        VersionVector.empty().increment(me, 1), me);
    FileAssembly assembly = new FileAssembly(new DiskView(dir), null, target);
    assembly.close();

    assertThatThrownBy(() -> assembly.write(target.blocks().get(0), data)).isInstanceOf(IOException.class);
  }

  /**
   * Bytes that came with the index record are used when they match the block's hash, counted as
   * fetched, not reused; bytes that do not match (the sender's file changed after its scan) are
   * dropped and the block is left to request.
   */
  @Test
  void inlineBytesAreUsedOnlyWhenTheyMatch() throws Exception {
    byte[] data = "a small note".getBytes(StandardCharsets.UTF_8);
    DeviceId me = DeviceId.fromName("me");
    TinyStore store = new TinyStore();
    for (String name : new String[] {"right.md", "wrong.md"}) {
      FileRecord target = FileRecord.file(RelativePath.of(name), data.length, 0, false,
          List.of(new BlockInfo(0, data.length, Sha256.of(data))), Sha256.of(data),
          VersionVector.empty().increment(me, 1), me);
      InlineBlocks inline = new InlineBlocks(1 << 20);
      byte[] sent = name.equals("right.md") ? data : "another note".getBytes(StandardCharsets.UTF_8);
      inline.addAll(List.of(new dev.jsync.core.transport.InlineBlock(Sha256.of(data), sent)));
      try (FileAssembly assembly = new FileAssembly(new DiskView(dir), store, target, inline)) {
        List<BlockInfo> missing = assembly.prepare(null);
        if (name.equals("right.md")) {
          assertThat(missing).isEmpty();
          assertThat(assembly.bytesInline).isEqualTo(data.length);
          assertThat(assembly.bytesReused).isZero();
          assembly.finish();
          assertThat(Files.readAllBytes(assembly.temp())).isEqualTo(data);
        } else {
          assertThat(missing).isEqualTo(target.blocks());
          assertThat(assembly.bytesInline).isZero();
        }
      }
      assertThat(inline.bytes()).as("taken either way").isZero();
    }
  }

  /**
   * A one-byte change in a large file: every block but the changed one comes from the old
   * version on disk, checked, whether the blocks are filled by the calling thread alone, with
   * helpers, with helpers that never start, or with helpers that start only afterwards.
   */
  @Test
  void aLargeFileIsFilledFromItsOldVersionByHelpersToo() throws Exception {
    int size = 3 * BlockHasher.RUN_BLOCKS * BlockInfo.SIZE + 1234; // four runs, a short last block
    byte[] old = new byte[size];
    new Random(11).nextBytes(old);
    Path oldFile = Files.write(dir.resolve("big.bin"), old);
    DeviceId me = DeviceId.fromName("me");
    HashedContent oldContent = new BlockHasher().hash(oldFile);
    TinyStore store = new TinyStore();
    RelativePath path = RelativePath.of("big.bin");
    store.local.put(path, LocalEntry.withoutStat(FileRecord.file(path, size, 0, false, oldContent.blocks(),
        oldContent.contentHash(), VersionVector.empty().increment(me, 1), me).withSequence(1)));
    byte[] changed = old.clone();
    int changedAt = 2 * BlockHasher.RUN_BLOCKS * BlockInfo.SIZE + 77; // in the third run
    changed[changedAt] ^= 1;
    Path staged = Files.write(dir.resolve("staged"), changed);
    HashedContent content = new BlockHasher().hash(staged);
    Files.delete(staged);
    FileRecord target = FileRecord.file(path, size, 5, false, content.blocks(), content.contentHash(),
        VersionVector.empty().increment(me, 2), me);
    BlockInfo changedBlock = content.blocks().get(changedAt / BlockInfo.SIZE);

    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Runnable> later = new ArrayList<>();
    Executor never = task -> {
      throw new RejectedExecutionException("closed");
    };
    try {
      for (Executor helpers : new Executor[] {null, pool, never, later::add}) {
        FileAssembly assembly = new FileAssembly(new DiskView(dir), store, target);
        List<BlockInfo> missing = assembly.prepare(helpers);
        later.forEach(Runnable::run); // find nothing left to do
        later.clear();
        assertThat(missing).containsExactly(changedBlock);
        assertThat(assembly.bytesReused).isEqualTo(size - changedBlock.length());
        int from = (int) changedBlock.offset();
        assertThat(assembly.write(changedBlock,
            java.util.Arrays.copyOfRange(changed, from, from + changedBlock.length()))).isTrue();
        assembly.finish();
        assertThat(Files.readAllBytes(assembly.temp())).isEqualTo(changed);
        Files.delete(assembly.temp());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static FileRecord note(String path, byte[] data) {
    DeviceId peer = DeviceId.fromName("peer");
    return FileRecord.file(RelativePath.of(path), data.length, 0, false,
        List.of(new BlockInfo(0, data.length, Sha256.of(data))), Sha256.of(data),
        VersionVector.empty().increment(peer, 1), peer);
  }

  /**
   * A link waiting at the exact temp name of the next download (left there by anyone: a local
   * process, or a peer on a file system that matched its name to ours) is removed, never
   * written through: the file it points to keeps its bytes.
   */
  @Test
  void aLinkAtTheTempNameIsRemovedNotFollowed() throws Exception {
    Path victim = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("victim"), "precious");
    Path folder = Files.createDirectories(dir.resolve("folder"));
    byte[] payload = "the peer's bytes".getBytes(StandardCharsets.UTF_8);
    FileRecord target = note("f.txt", payload);
    Path temp = folder.resolve(FileAssembly.tempName(target));
    Files.createSymbolicLink(temp, victim);

    try (FileAssembly assembly = new FileAssembly(new DiskView(folder), new TinyStore(), target)) {
      List<BlockInfo> missing = assembly.prepare(null);
      assertThat(assembly.write(missing.get(0), payload)).isTrue();
      assembly.finish();
    }
    assertThat(Files.readString(victim)).isEqualTo("precious");
    assertThat(Files.isSymbolicLink(temp)).isFalse();
    assertThat(Files.readAllBytes(temp)).isEqualTo(payload);
  }

  /**
   * The index names a local file holding a block the download needs, but that file is a link
   * now (to a file outside the folder with those very bytes): the block is not read through it.
   */
  @Test
  void localBlocksAreNotReadThroughLinks() throws Exception {
    byte[] secret = "bytes outside the folder".getBytes(StandardCharsets.UTF_8);
    Path outside = Files.write(Files.createDirectories(dir.resolve("outside")).resolve("secret"), secret);
    Path folder = Files.createDirectories(dir.resolve("folder"));
    Files.createSymbolicLink(folder.resolve("was-a-file"), outside);
    Path outsideDir = outside.getParent();
    Files.createSymbolicLink(folder.resolve("was-a-folder"), outsideDir);
    TinyStore store = new TinyStore();
    for (String indexed : new String[] {"was-a-file", "was-a-folder/secret"}) {
      FileRecord old = note(indexed, secret);
      store.local.put(old.path(), LocalEntry.withoutStat(old.withSequence(1)));
    }

    try (FileAssembly assembly = new FileAssembly(new DiskView(folder), store, note("copy", secret))) {
      assertThat(assembly.prepare(null)).as("the block must come from a peer").hasSize(1);
      assertThat(assembly.bytesReused).isZero();
    }
  }
  /**
   * The race the parent-chain check alone loses: the folder that will hold the temp file is a
   * real folder when it is checked and a link to a folder outside when the temp file is opened
   * (a local process swapping it at that moment, played here by a disk that swaps it right after
   * the check looks at it). No temp file may appear outside and no byte of the peer's lands
   * there: the system disk opens the temp file relative to each opened folder, and refuses.
   */
  @Test
  void aFolderSwappedForALinkBetweenTheCheckAndTheOpenGetsNoTempFile() throws Exception {
    swapTheFolderBetweenCheckAndOpen(true);
  }

  /**
   * The same race where folders cannot be opened relative to each other (Windows, macOS): the
   * check after opening finds the link, and the temp file made through it is deleted before a
   * byte is written.
   */
  @Test
  void aFolderSwappedForALinkIsFoundByTheCheckAfterOpeningWhereFoldersCannotBeOpened() throws Exception {
    swapTheFolderBetweenCheckAndOpen(false);
  }

  private void swapTheFolderBetweenCheckAndOpen(boolean relativeOpens) throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path folder = Files.createDirectories(dir.resolve("folder"));
    Path notes = Files.createDirectories(folder.resolve("notes"));
    byte[] payload = "the peer's bytes".getBytes(StandardCharsets.UTF_8);
    FileRecord target = note("notes/f.txt", payload);
    SwappingDisk disk = new SwappingDisk(notes, outside, relativeOpens);

    try (FileAssembly assembly = new FileAssembly(new DiskView(disk, folder), new TinyStore(), target)) {
      assertThatThrownBy(() -> {
        List<BlockInfo> missing = assembly.prepare(null);
        assembly.write(missing.get(0), payload);
        assembly.finish();
      }).isInstanceOf(IOException.class);
    }
    assertThat(disk.swapped).as("the race was played").isTrue();
    try (var entries = Files.list(outside)) {
      assertThat(entries).as("nothing made outside the folder").isEmpty();
    }
  }

  /**
   * The real disk, except that the first time the folder {@code swap} is looked at, it is
   * replaced by a link to {@code to} right after the look: a folder swapped between a check and
   * the use that follows it.
   */
  private static final class SwappingDisk implements dev.jsync.core.disk.Disk {
    private final dev.jsync.core.disk.Disk real = dev.jsync.core.disk.Disks.system();
    private final Path swap;
    private final Path to;
    volatile boolean swapped;

    /** Whether to open temp files as the system disk does, or by Disk's default check before and after. */
    private final boolean relativeOpens;

    SwappingDisk(Path swap, Path to, boolean relativeOpens) {
      this.swap = swap;
      this.to = to;
      this.relativeOpens = relativeOpens;
    }

    @Override
    public dev.jsync.core.disk.DiskFile createNewNextTo(Path root, RelativePath file, String name)
        throws IOException {
      return relativeOpens ? real.createNewNextTo(root, file, name)
          : dev.jsync.core.disk.Disk.super.createNewNextTo(root, file, name);
    }

    @Override
    public dev.jsync.core.disk.DiskFile openForWritingNextTo(Path root, RelativePath file, String name)
        throws IOException {
      return relativeOpens ? real.openForWritingNextTo(root, file, name)
          : dev.jsync.core.disk.Disk.super.openForWritingNextTo(root, file, name);
    }

    @Override
    public <A extends java.nio.file.attribute.BasicFileAttributes> A attributes(Path file, Class<A> type)
        throws IOException {
      A seen = real.attributes(file, type);
      if (file.equals(swap) && !swapped) {
        swapped = true;
        Files.move(swap, swap.resolveSibling(swap.getFileName() + ".moved"));
        Files.createSymbolicLink(swap, to);
      }
      return seen;
    }

    @Override
    public String storeType(Path dir) throws IOException {
      return real.storeType(dir);
    }

    @Override
    public Path readLink(Path link) throws IOException {
      return real.readLink(link);
    }

    @Override
    public List<Path> list(Path d) throws IOException {
      return real.list(d);
    }

    @Override
    public dev.jsync.core.disk.DiskFile openForReading(Path root, RelativePath path) throws IOException {
      return real.openForReading(root, path);
    }

    @Override
    public dev.jsync.core.disk.DiskFile openForHashing(Path file) throws IOException {
      return real.openForHashing(file);
    }

    @Override
    public dev.jsync.core.disk.DiskFile createNew(Path file) throws IOException {
      return real.createNew(file);
    }

    @Override
    public dev.jsync.core.disk.DiskFile openForWriting(Path file) throws IOException {
      return real.openForWriting(file);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
      real.move(from, to);
    }

    @Override
    public void delete(Path file) throws IOException {
      real.delete(file);
    }

    @Override
    public boolean deleteIfExists(Path file) throws IOException {
      return real.deleteIfExists(file);
    }

    @Override
    public void createDirectory(Path d) throws IOException {
      real.createDirectory(d);
    }

    @Override
    public void createDirectories(Path d) throws IOException {
      real.createDirectories(d);
    }

    @Override
    public void createLink(Path link, Path target) throws IOException {
      real.createLink(link, target);
    }

    @Override
    public void setPermissions(Path file, java.util.Set<java.nio.file.attribute.PosixFilePermission> p)
        throws IOException {
      real.setPermissions(file, p);
    }

    @Override
    public void setModifiedTime(Path file, java.nio.file.attribute.FileTime time) throws IOException {
      real.setModifiedTime(file, time);
    }

    @Override
    public void syncDirectory(Path d) throws IOException {
      real.syncDirectory(d);
    }
  }
}
