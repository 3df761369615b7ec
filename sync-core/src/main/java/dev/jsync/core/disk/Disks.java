package dev.jsync.core.disk;

/** The {@link Disk}s jSync provides. */
public final class Disks {

  private Disks() {}

  /** The disk of the running system, through {@code java.nio.file}. */
  public static Disk system() {
    return NioDisk.INSTANCE;
  }
}
