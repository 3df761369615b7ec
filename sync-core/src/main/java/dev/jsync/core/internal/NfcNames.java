package dev.jsync.core.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names found on disk in another Unicode form than NFC, the form jSync syncs every name in
 * (macOS tools and some archives write decomposed names, NFD). On a disk that normalises
 * (macOS), the NFC name opens the file anyway and nothing is done. On one that keeps names as
 * given (ext4, NTFS), the NFC name would open nothing, so the file is renamed on disk to its NFC
 * name, which looks the same, and synced under it: the disk then holds the name every peer holds,
 * and no mapping between two names has to be kept. If the NFC name is taken by another file,
 * neither is touched and the non-NFC one is reported and not synced.
 *
 * <p>Stateless; any thread (the scanner's).
 */
final class NfcNames {

  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private NfcNames() {}

  /** Whether {@code name} is in NFC (nearly every name: checked without allocating for ASCII). */
  static boolean isNfc(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) >= 0x80) {
        return Normalizer.isNormalized(name, Normalizer.Form.NFC);
      }
    }
    return true;
  }

  /**
   * {@code file}, whose name is not NFC, under its NFC name: renamed there on a disk that keeps
   * names as given; as it is on one that normalises. Null if it cannot be synced: the NFC name
   * is another file's (reported in {@code errors}) or the rename failed.
   */
  static Path toNfc(FolderNaming naming, Path file, List<String> errors) {
    if (naming.normalises()) {
      return file; // the NFC name opens it
    }
    String name = file.getFileName().toString();
    Path nfc = file.resolveSibling(Normalizer.normalize(name, Normalizer.Form.NFC));
    try {
      if (Files.exists(nfc, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(nfc.toString());
      }
      // No REPLACE_EXISTING: a file given the NFC name meanwhile is not overwritten.
      Files.move(file, nfc);
      log.debug("renamed {} to the NFC form of its name, under which it syncs", file);
      return nfc;
    } catch (FileAlreadyExistsException e) {
      String why = "not syncing " + file + ": its name is not in NFC, and the NFC form of it is another file's";
      log.warn(why);
      errors.add(why);
      return null;
    } catch (IOException e) {
      errors.add(file + ": cannot rename it to the NFC form of its name: " + e.getMessage());
      return null;
    }
  }
}
