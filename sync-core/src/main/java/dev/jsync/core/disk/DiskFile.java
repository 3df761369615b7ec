package dev.jsync.core.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A file opened through a {@link Disk}, read and written at offsets. Reads and writes at
 * offsets may run on several threads at once; {@link #close} ends them all. Does blocking I/O.
 */
public interface DiskFile extends Closeable {

  /**
   * Reads into {@code dst} from {@code position}, at most {@code dst.remaining()} bytes, in one
   * step that may read fewer.
   *
   * @return the bytes read, or -1 if {@code position} is at or past the end of the file
   */
  int read(ByteBuffer dst, long position) throws IOException;

  /**
   * Writes from {@code src} at {@code position}, in one step that may write fewer bytes than
   * {@code src} holds.
   *
   * @return the bytes written
   * @throws IOException if the file was opened for reading only, the disk is full, ...
   */
  int write(ByteBuffer src, long position) throws IOException;

  /** The file's length now. */
  long size() throws IOException;

  /** Cuts the file to {@code size} bytes, if it is longer. */
  void truncate(long size) throws IOException;

  /** Flushes the file's contents and metadata to the device (fsync). */
  void force() throws IOException;

  /**
   * Reads {@code dst.remaining()} bytes from {@code position}, as many steps as it takes.
   *
   * @return false if the file ends first ({@code dst} then holds what was there)
   */
  default boolean readFully(ByteBuffer dst, long position) throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int r = read(dst, pos);
      if (r < 0) {
        return false;
      }
      pos += r;
    }
    return true;
  }

  /** Writes all of {@code src} at {@code position}, as many steps as it takes. */
  default void writeFully(ByteBuffer src, long position) throws IOException {
    long pos = position;
    while (src.hasRemaining()) {
      pos += write(src, pos);
    }
  }
}
