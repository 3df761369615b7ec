package dev.jsync.testkit;

import dev.jsync.core.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Atomicity (invariant 5), checked after every step: each regular file in the folder of the
 * node that just ran holds content some user wrote somewhere (temp files aside), so no partial
 * or corrupt file is ever visible at a synced path. In a run that merges notes, a note may also
 * hold a merge of users' versions of its path ({@link WriteHistory#recogniseMerge}). A file
 * already found good is not read again while its key, size and time stay the same.
 */
final class AtomicityChecker {
  private final ClusterContext cluster;

  AtomicityChecker(ClusterContext cluster) {
    this.cluster = cluster;
  }

  void check(ClusterNode n) {
    try {
      Files.walkFileTree(n.folder(), new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (!attrs.isRegularFile() || FolderTree.isTemp(file)) {
            return FileVisitResult.CONTINUE;
          }
          String rel = FolderTree.relative(n.folder(), file);
          Object[] key = {attrs.fileKey(), attrs.size(), attrs.lastModifiedTime()};
          Object[] seen = n.verified.get(rel);
          if (seen != null && java.util.Arrays.equals(seen, key)) {
            return FileVisitResult.CONTINUE;
          }
          byte[] bytes = Files.readAllBytes(file);
          Sha256 content = Sha256.of(bytes);
          // A note no user wrote may be a merge of users' versions (WriteHistory, "Merged notes").
          if (!cluster.history.isKnownContent(content)
              && !cluster.history.recogniseMerge(n.name(), rel, bytes, UserActions.ownerExecutable(file))) {
            throw cluster.fail("atomic", n.name() + ": " + rel + " holds " + attrs.size()
                + " bytes that no user wrote anywhere (a partial or corrupt file at a synced path) at "
                + cluster.scheduler.elapsed(), null);
          }
          n.verified.put(rel, key);
          n.seenOnDisk.add(content);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
