package dev.jsync.cli.internal;

import dev.jsync.core.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the state folder private before a node uses it. The folder holds the index (every file
 * name in the synced folder), the device's private key ({@value #KEY_FILE}) and the status file,
 * so on a POSIX file system it is the user's alone: created {@code 0700}, and an existing one
 * (from an older jsync, a copy, a restore) is narrowed at start with a warning. Only what jsync
 * keeps there is touched (the folder, its own files, the index), not whatever else a
 * {@code --state-dir} given by mistake holds. A device key that other users can read is not
 * narrowed but refused: it may already have been copied, so the user decides ({@code chmod 600},
 * or a new identity).
 *
 * <p>RocksDB creates its files with the process's umask (often 0644), so after every run a few of
 * them are wider than 0600; behind a 0700 folder no one else can open them, and narrowing them is
 * not worth a warning. Stateless; does file I/O. Where permissions are not kept per file (Windows,
 * whose inherited ACLs apply; FAT, exFAT, NTFS or SMB volumes) nothing is checked.
 */
final class StateFolder {

  /** The device key's file name, as sync-net keeps it. */
  static final String KEY_FILE = "device.pem";
  /** Where an older jsync kept the device key (sync-net still reads it there). */
  static final String OLD_KEY_FILE = "device.p12";
  /** The files jsync itself keeps in the state folder, beside the index. */
  private static final List<String> OWN_FILES =
      List.of(KEY_FILE, OLD_KEY_FILE, "status.json", "status.json.tmp", "lock");
  /** The index's folder, as sync-store keeps it. */
  private static final String INDEX = "index";
  /** How many changed paths a warning lists before "and N more". */
  private static final int LISTED = 5;

  private static final Logger log = LoggerFactory.getLogger(StateFolder.class);

  private StateFolder() {
  }

  /**
   * Creates {@code stateDir} owner-only, or makes an existing one so.
   *
   * @throws BadInvocation if the device key can be read by other users, or the folder cannot be
   *     created
   */
  static void prepare(Path stateDir) {
    if (!Files.exists(stateDir)) {
      try {
        PrivateFiles.createFolders(stateDir);
        return;
      } catch (IOException e) {
        throw new BadInvocation(ExitCodes.FOLDER, "cannot create the state folder " + stateDir + " ("
            + e.getMessage() + "): check the permissions of the folder it goes in, or pick another --state-dir");
      }
    }
    try {
      for (String name : List.of(KEY_FILE, OLD_KEY_FILE)) {
        Path key = stateDir.resolve(name);
        // A link at its name is not judged by the link's bits: DeviceIdentity refuses it with its own message.
        if (Files.isRegularFile(key, LinkOption.NOFOLLOW_LINKS) && PrivateFiles.readableByOthers(key)) {
          throw new BadInvocation(ExitCodes.FAILED, "this device's private key can be read by other users (mode "
              + PrivateFiles.mode(key) + "): if no one else could have copied it, run `chmod 600 " + key
              + "`; otherwise delete that file, and jsync makes a new identity (peers then see a new device)");
        }
      }
      // Only what jsync keeps there: a --state-dir given by mistake (a home folder) is not combed through.
      List<String> mine = new ArrayList<>();
      PrivateFiles.narrowOne(stateDir.toRealPath()).ifPresent(mine::add);
      for (String name : OWN_FILES) {
        PrivateFiles.narrowOne(stateDir.resolve(name)).ifPresent(mine::add);
      }
      Path index = stateDir.resolve(INDEX);
      List<String> inIndex = Files.isDirectory(index) ? PrivateFiles.narrow(index) : List.of();
      List<String> changed = new ArrayList<>(mine);
      changed.addAll(inIndex);
      if (!mine.isEmpty()) {
        log.warn("the state folder {} was open to other users; made it and its files owner-only: {}", stateDir,
            summary(changed));
      } else if (!changed.isEmpty()) {
        log.debug("narrowed {} of RocksDB's files in {} to owner-only", changed.size(), index);
      }
    } catch (IOException e) {
      // Running with a state folder others may read is what every older jsync did: warn, do not stop.
      log.warn("cannot make the state folder {} private to this user ({}): other users may be able to read the"
          + " index and status; check its owner and permissions", stateDir, e.toString());
    }
  }

  private static String summary(List<String> changed) {
    String listed = String.join(", ", changed.subList(0, Math.min(LISTED, changed.size())));
    return changed.size() > LISTED ? listed + " and " + (changed.size() - LISTED) + " more" : listed;
  }
}
