package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.RelativePath;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which absolute paths under the folder are synced paths (watch events, folders made for downloads). */
class FolderPathsTest {

  @TempDir
  Path root;

  @Test
  void aPathUnderTheFolderIsItsRelativePath() {
    assertThat(FolderPaths.relative(root, root.resolve("notes").resolve("plan.md")))
        .isEqualTo(RelativePath.of("notes/plan.md"));
  }

  @Test
  void tempFilesTheStateFolderAndPathsOutsideAreNotSynced() {
    assertThat(FolderPaths.relative(root, root.resolve("notes").resolve(RelativePath.TEMP_PREFIX + "abc"))).isNull();
    assertThat(FolderPaths.relative(root, root.resolve(RelativePath.STATE_DIR_NAME).resolve("index"))).isNull();
    assertThat(FolderPaths.relative(root, root.getParent().resolve("elsewhere"))).isNull();
    assertThat(FolderPaths.relative(root, Path.of("relative"))).isNull();
  }
}
