package dev.jsync.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link FaultyDisk} misbehaves: the chance that one operation of a kind fails, and how
 * long each fsync takes. Crashes are a separate, explicit fault ({@link FaultyDisk#crash()}).
 *
 * <p>Each rate applies per operation that can meet that error on a real disk:
 * <ul>
 *   <li>{@link #fullDisk()}: making a file, a folder or a link, writing, and fsync (which reports
 *       space a delayed allocation could not find) fail with "No space left on device";</li>
 *   <li>{@link #ioError()}: reading, writing, listing a folder and fsync of a file fail with
 *       "Input/output error";</li>
 *   <li>{@link #folderSyncError()}: fsync of a folder (what makes a rename durable) fails with
 *       "Input/output error";</li>
 *   <li>{@link #accessDenied()}: opening, making, renaming, deleting, and setting permissions or
 *       times fail with {@link java.nio.file.AccessDeniedException} (a file locked by another
 *       program, a folder made read-only by the user).</li>
 * </ul>
 *
 * @param fullDisk chance that an operation that takes space fails as if the disk were full
 * @param ioError chance that an operation that touches the device fails with an I/O error
 * @param folderSyncError chance that syncing a folder fails with an I/O error
 * @param accessDenied chance that an operation on a name is refused
 * @param slowSync how long every fsync (of a file or a folder) blocks its caller; zero for none.
 *     Real time: use it with real threads, not in a simulation (where a task takes no virtual time)
 */
public record DiskFaults(double fullDisk, double ioError, double folderSyncError, double accessDenied,
    Duration slowSync) {

  public DiskFaults {
    checkRate("fullDisk", fullDisk);
    checkRate("ioError", ioError);
    checkRate("folderSyncError", folderSyncError);
    checkRate("accessDenied", accessDenied);
    Objects.requireNonNull(slowSync, "slowSync");
    if (slowSync.isNegative()) {
      throw new IllegalArgumentException("slowSync must not be negative: " + slowSync);
    }
  }

  private static void checkRate(String name, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(name + " must be a chance between 0 and 1: " + rate);
    }
  }

  /** A disk that never fails and syncs at once. */
  public static DiskFaults none() {
    return new DiskFaults(0, 0, 0, 0, Duration.ZERO);
  }

  /** True if no operation can fail and fsync takes no time. */
  public boolean isNone() {
    return fullDisk == 0 && ioError == 0 && folderSyncError == 0 && accessDenied == 0 && slowSync.isZero();
  }

  public DiskFaults withFullDisk(double rate) {
    return new DiskFaults(rate, ioError, folderSyncError, accessDenied, slowSync);
  }

  public DiskFaults withIoError(double rate) {
    return new DiskFaults(fullDisk, rate, folderSyncError, accessDenied, slowSync);
  }

  public DiskFaults withFolderSyncError(double rate) {
    return new DiskFaults(fullDisk, ioError, rate, accessDenied, slowSync);
  }

  public DiskFaults withAccessDenied(double rate) {
    return new DiskFaults(fullDisk, ioError, folderSyncError, rate, slowSync);
  }

  public DiskFaults withSlowSync(Duration d) {
    return new DiskFaults(fullDisk, ioError, folderSyncError, accessDenied, d);
  }

  /** Java that rebuilds these faults, for replay scripts. */
  String toJava() {
    return "new DiskFaults(" + fullDisk + ", " + ioError + ", " + folderSyncError + ", " + accessDenied + ", "
        + "Duration.parse(\"" + slowSync + "\"))";
  }
}
