package dev.jsync.cli.internal;

import dev.jsync.core.RelativePath;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the folder to sync and where its state goes, before anything is created: a bad
 * {@code -d} must not leave a {@code .jsync} folder behind. Reads file attributes only.
 */
final class Folders {

  private Folders() {
  }

  /**
   * The folder to sync, absolute.
   *
   * @throws BadInvocation if it is not given, missing, not a folder, or not readable and writable
   */
  static Path checkFolder(Path given) {
    if (given == null) {
      throw BadInvocation.usage("no folder given: pass -d DIR, the folder to sync");
    }
    Path dir = given.toAbsolutePath().normalize();
    if (!Files.exists(dir)) {
      throw new BadInvocation(ExitCodes.FOLDER, "folder " + dir + " does not exist: create it first (mkdir -p "
          + dir + ") or fix the -d path");
    }
    if (!Files.isDirectory(dir)) {
      throw new BadInvocation(ExitCodes.FOLDER, dir + " is not a folder: -d takes the folder to sync");
    }
    if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
      throw new BadInvocation(ExitCodes.FOLDER, "cannot read folder " + dir + ": give the user running jsync"
          + " read access to it (e.g. chmod u+rx)");
    }
    if (!Files.isWritable(dir)) {
      throw new BadInvocation(ExitCodes.FOLDER, "cannot write to folder " + dir + ": jsync saves what it"
          + " receives there; give the user running jsync write access (e.g. chmod u+w)");
    }
    return dir;
  }

  /**
   * Where the node keeps its state: {@code <folder>/.jsync} unless {@code given}. A state folder
   * elsewhere inside the synced folder would itself be synced, so it is refused.
   *
   * @throws BadInvocation if {@code given} is inside the folder, or exists but is unusable
   */
  static Path stateDir(Path folder, Path given) {
    Path standard = folder.resolve(RelativePath.STATE_DIR_NAME);
    if (given == null) {
      return standard;
    }
    Path dir = given.toAbsolutePath().normalize();
    if (dir.startsWith(folder) && !dir.equals(standard)) {
      throw BadInvocation.usage("--state-dir " + dir + " is inside the synced folder, so it would be synced too:"
          + " leave it out (the default is " + standard + ") or pick a folder outside " + folder);
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new BadInvocation(ExitCodes.FOLDER, "state folder " + dir + " is a file: --state-dir takes a folder");
    }
    if (Files.isDirectory(dir) && !Files.isWritable(dir)) {
      throw new BadInvocation(ExitCodes.FOLDER, "cannot write to state folder " + dir + ": give the user running"
          + " jsync write access, or pick another --state-dir");
    }
    return dir;
  }
}
