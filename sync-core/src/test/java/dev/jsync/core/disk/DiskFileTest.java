package dev.jsync.core.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-fully and write-fully loops every caller shares, over files that answer a byte at a time. */
class DiskFileTest {

  /** An in-memory file whose reads and writes move at most one byte per call, as a channel may. */
  private static final class OneByteAtATime implements DiskFile {
    final byte[] data;
    int calls;

    OneByteAtATime(byte[] data) {
      this.data = data;
    }

    @Override
    public int read(ByteBuffer dst, long position) {
      calls++;
      if (position >= data.length) {
        return -1;
      }
      if (!dst.hasRemaining()) {
        return 0;
      }
      dst.put(data[(int) position]);
      return 1;
    }

    @Override
    public int write(ByteBuffer src, long position) {
      calls++;
      data[(int) position] = src.get();
      return 1;
    }

    @Override
    public long size() {
      return data.length;
    }

    @Override
    public void truncate(long size) {}

    @Override
    public void force() {}

    @Override
    public void close() {}
  }

  @Test
  void readFullyGoesOnAfterShortReads() throws IOException {
    OneByteAtATime f = new OneByteAtATime("hello world".getBytes(StandardCharsets.UTF_8));
    ByteBuffer buf = ByteBuffer.allocate(5);
    assertThat(f.readFully(buf, 6)).isTrue();
    assertThat(new String(buf.array(), StandardCharsets.UTF_8)).isEqualTo("world");
    assertThat(f.calls).isEqualTo(5);
  }

  @Test
  void readFullyReportsAFileThatEndsFirstAndKeepsWhatWasThere() throws IOException {
    OneByteAtATime f = new OneByteAtATime("abc".getBytes(StandardCharsets.UTF_8));
    ByteBuffer buf = ByteBuffer.allocate(5);
    assertThat(f.readFully(buf, 1)).isFalse();
    assertThat(buf.position()).isEqualTo(2);
    assertThat(buf.get(0)).isEqualTo((byte) 'b');
  }

  @Test
  void writeFullyGoesOnAfterShortWrites() throws IOException {
    OneByteAtATime f = new OneByteAtATime(new byte[6]);
    f.writeFully(ByteBuffer.wrap("xyz".getBytes(StandardCharsets.UTF_8)), 2);
    assertThat(new String(f.data, 2, 3, StandardCharsets.UTF_8)).isEqualTo("xyz");
  }

  @Test
  void theSystemDiskMakesANewFileOnlyWhereNothingIs(@TempDir Path dir) throws IOException {
    Disk disk = Disks.system();
    Path file = dir.resolve("f");
    try (DiskFile f = disk.createNew(file)) {
      f.writeFully(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
      f.force();
    }
    Files.createSymbolicLink(dir.resolve("link"), file);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> disk.createNew(dir.resolve("link")))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    ByteBuffer two = ByteBuffer.allocate(2);
    try (DiskFile f = disk.openForReading(dir, dev.jsync.core.RelativePath.of("f"))) {
      assertThat(f.readFully(two, 1)).isTrue();
    }
    assertThat(two.array()).containsExactly(2, 3);
  }

  @Test
  void syncingAFolderThatIsGoneDoesNothing(@TempDir Path dir) throws IOException {
    Disks.system().syncDirectory(dir);
    Disks.system().syncDirectory(dir.resolve("removed meanwhile"));
  }
}
