package dev.jsync.core.internal;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.disk.Disk;
import dev.jsync.core.disk.DiskFile;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.IndexStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one file version in a hidden temp file next to its final path, block by block: first
 * from a temp file left by an interrupted download, then from blocks already somewhere in the
 * folder, and only the rest from peers. Every block is checked against its hash before it is
 * written, so the temp file holds only verified data and an interrupted download resumes from
 * it.
 *
 * <p>The temp file's name depends on the final name and the target content, so a resumed
 * download of the same version finds it and a different version does not:
 * {@code .jsync-tmp-<8 hex of name hash>-<16 hex of content hash>}.
 *
 * <p>No link is ever followed: the temp file is made with {@code CREATE_NEW} (which never
 * follows one), one found in its place is reopened only if it is a regular file, checked before
 * and after opening with {@code NOFOLLOW_LINKS}, and a link found there is removed; local blocks
 * are read through {@link DiskView#openForReading}. The temp file is made and reopened through
 * {@link Disk#createNewNextTo} and {@link Disk#openForWritingNextTo}, which follow no link above
 * it either: on Linux each folder is opened relative to the one above and the file relative to
 * its folder, so a folder swapped for a link after the early check below finds nothing to follow;
 * elsewhere the folders are checked again after the open and a file made through a link is
 * deleted before a byte is written.
 *
 * <p>Methods do blocking I/O and are called on I/O threads; {@link #write} may run on several
 * at once (positional writes to one channel).
 */
final class FileAssembly implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FileAssembly.class);

  /** One digest per I/O thread for checking received blocks (making one is not free). */
  private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(Sha256::newDigest);

  private final DiskView disk;
  private final IndexStore store;
  private final FileRecord target;
  private final Path temp;
  private DiskFile channel;
  /** Whether {@link #prepare} made the temp file (rather than finding one to resume). */
  private boolean created;
  private final InlineBlocks inline;
  long bytesReused;
  /** Bytes written from block data that came with the index record (network bytes, not reused). */
  long bytesInline;

  FileAssembly(DiskView disk, IndexStore store, FileRecord target) {
    this(disk, store, target, null);
  }

  /** @param inline block bytes that came with index records, taken before any other source; or null */
  FileAssembly(DiskView disk, IndexStore store, FileRecord target, InlineBlocks inline) {
    this.disk = disk;
    this.store = store;
    this.target = target;
    this.inline = inline;
    this.temp = disk.resolve(target.path()).resolveSibling(tempName(target));
  }

  static String tempName(FileRecord target) {
    return tempName(target.path().name(), target.contentHash());
  }

  /**
   * The temp file name for content {@code content} of a file named {@code name}; with a null
   * content, the part every temp file of that name starts with.
   */
  static String tempName(String name, Sha256 content) {
    String nameHash = Sha256.of(name.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
    return RelativePath.TEMP_PREFIX + nameHash + (content == null ? "" : "-" + content.toString().substring(0, 16));
  }

  Path temp() {
    return temp;
  }

  /**
   * Opens (or reopens) the temp file and fills in every block available locally: each block is
   * read, checked against its hash and written. A large file's blocks are filled in runs on
   * {@code helpers} too (see {@link ClaimedRuns}; positional reads and writes share the channel).
   *
   * @param helpers an executor for helpers, or null to do it all on the calling thread
   * @return the blocks that must come from a peer, in file order
   */
  List<BlockInfo> prepare(Executor helpers) throws IOException {
    disk.checkNoLinkAbove(target.path());
    channel = openTemp();
    long existing = channel.size();
    List<BlockInfo> blocks = target.blocks();
    boolean[] local = new boolean[blocks.size()];
    int runs = (blocks.size() + BlockHasher.RUN_BLOCKS - 1) / BlockHasher.RUN_BLOCKS;
    if (helpers == null || runs < 2 || ClaimedRuns.helpers() < 1) {
      try (Filler filler = new Filler()) {
        filler.fill(blocks, 0, blocks.size(), existing, local);
      }
    } else {
      ClaimedRuns.run(runs, helpers, Filler::new, (run, filler) -> filler.fill(blocks,
          run * BlockHasher.RUN_BLOCKS, Math.min(blocks.size(), (run + 1) * BlockHasher.RUN_BLOCKS), existing, local));
    }
    List<BlockInfo> missing = new ArrayList<>();
    long reused = -bytesInline;
    for (int i = 0; i < local.length; i++) {
      if (local[i]) {
        reused += blocks.get(i).length();
      } else {
        missing.add(blocks.get(i));
      }
    }
    bytesReused += reused;
    return missing;
  }

  /**
   * Makes the temp file, or reopens the one an interrupted download left, never through a link.
   */
  private DiskFile openTemp() throws IOException {
    Disk files = disk.disk();
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        DiskFile ch = files.createNewNextTo(disk.root(), target.path(), temp.getFileName().toString());
        created = true;
        return ch;
      } catch (FileAlreadyExistsException e) {
        // A leftover to resume, or something else that must not be written through.
      }
      BasicFileAttributes before = attributes();
      if (before == null) {
        continue; // gone meanwhile: make it
      }
      if (!before.isRegularFile()) {
        log.warn("removing {}: a temp file's name is taken by something that is not a file", temp);
        files.delete(temp); // a link itself, never what it points to; a folder only if empty
        continue;
      }
      DiskFile ch = files.openForWritingNextTo(disk.root(), target.path(), temp.getFileName().toString());
      BasicFileAttributes after = attributes();
      if (after != null && after.isRegularFile() && Objects.equals(before.fileKey(), after.fileKey())) {
        created = false;
        return ch;
      }
      ch.close(); // swapped while being opened: look again
    }
    throw new IOException("cannot make the temp file " + temp + ": it keeps changing");
  }

  private BasicFileAttributes attributes() throws IOException {
    try {
      return disk.disk().attributes(temp, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * One thread's filling of blocks from local data: its buffer, digest, and the source file it
   * read last (consecutive blocks mostly come from the same file, the old version of this one).
   */
  private final class Filler implements AutoCloseable {
    // Made when a block is first read: most new files have no local block to read (a vault's
    // notes), and a 128 KiB buffer per file was most of what a receiving node allocated.
    private ByteBuffer buf;
    private MessageDigest md;
    private RelativePath sourcePath;
    private DiskFile source;

    /** Fills blocks {@code [from, to)} where local data allows, marking them in {@code local}. */
    void fill(List<BlockInfo> blocks, int from, int to, long existing, boolean[] local) throws IOException {
      for (int i = from; i < to; i++) {
        BlockInfo block = blocks.get(i);
        local[i] = (block.offset() + block.length() <= existing && readMatches(channel, block.offset(), block))
            || fromInline(block) || copyFromLocal(block);
      }
    }

    private boolean readMatches(DiskFile ch, long offset, BlockInfo block) throws IOException {
      if (buf == null || buf.capacity() < block.length()) {
        buf = ByteBuffer.allocate(Math.max(block.length(), buf == null ? 0 : BlockInfo.SIZE));
        md = md == null ? Sha256.newDigest() : md;
      }
      return FileAssembly.readMatches(ch, offset, block, buf, md);
    }

    private boolean fromInline(BlockInfo block) throws IOException {
      byte[] data = inline == null ? null : inline.take(block.hash());
      if (data != null && write(block, data)) {
        synchronized (FileAssembly.this) {
          bytesInline += block.length();
        }
        return true;
      }
      return false;
    }

    private boolean copyFromLocal(BlockInfo block) throws IOException {
      for (BlockLocation loc : store.blockLocations(block.hash(), 4)) {
        if (loc.length() != block.length()) {
          continue;
        }
        boolean matches;
        try {
          matches = readMatches(source(loc.path()), loc.offset(), block);
        } catch (IOException | SecurityException e) {
          // The index's hint is stale (gone, or a link now, which is never followed); try the
          // next place, or the network.
          close();
          continue;
        }
        if (matches) {
          buf.flip();
          writeFully(buf, block.offset());
          return true;
        }
      }
      return false;
    }

    private DiskFile source(RelativePath path) throws IOException {
      if (!path.equals(sourcePath)) {
        close();
        source = disk.openForReading(path);
        sourcePath = path;
      }
      return source;
    }

    @Override
    public void close() throws IOException {
      DiskFile open = source;
      source = null;
      sourcePath = null;
      if (open != null) {
        open.close();
      }
    }
  }

  /** Reads {@code block.length()} bytes at {@code offset} into {@code buf}; true if they hash right. */
  private static boolean readMatches(DiskFile ch, long offset, BlockInfo block, ByteBuffer buf,
      MessageDigest md) throws IOException {
    buf.clear().limit(block.length());
    if (!ch.readFully(buf, offset)) {
      return false;
    }
    md.reset();
    md.update(buf.array(), 0, block.length());
    return block.hash().matches(md.digest());
  }

  /**
   * Writes a block received from a peer, after checking it.
   *
   * @return false if the bytes do not match the block's hash (nothing is written)
   */
  boolean write(BlockInfo block, byte[] data) throws IOException {
    if (data.length != block.length()) {
      return false;
    }
    MessageDigest md = DIGESTS.get();
    md.reset();
    if (!block.hash().matches(md.digest(data))) {
      return false;
    }
    writeFully(ByteBuffer.wrap(data), block.offset());
    return true;
  }

  private void writeFully(ByteBuffer buf, long offset) throws IOException {
    DiskFile ch = channel;
    if (ch == null) {
      // The pull failed and closed the file while this block was on its way.
      throw new IOException("the download was abandoned");
    }
    ch.writeFully(buf, offset);
  }

  /**
   * Completes the temp file: exact length, flushed to disk, modification time and executable
   * bit set. Afterwards the temp file is ready to be renamed into place.
   */
  void finish() throws IOException {
    channel.truncate(target.size());
    channel.force();
    channel.close();
    channel = null;
    if (target.executable() || !created) {
      // A file this assembly created has no executable bit (new files never get one), so
      // only a resumed one, or an executable target, needs a look at its permissions.
      disk.setExecutable(temp, target.executable());
    }
    disk.setModified(temp, target.modifiedNanos());
  }

  /** Closes the temp file, keeping it for a later resume. */
  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing useful to do; the temp file is only a cache.
      }
      channel = null;
    }
  }
}
