package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAssemblyTest {

  @TempDir
  Path dir;

  /**
   * A pull that fails closes its assembly while block writes may still be queued on I/O threads.
   * Such a late write must fail as an I/O error, which the pull accounts for; an unchecked
   * exception would escape the pull's bookkeeping and strand the path until a restart.
   */
  @Test
  void aWriteAfterCloseIsAnIoError() {
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    DeviceId me = DeviceId.fromName("me");
    FileRecord target = FileRecord.file(RelativePath.of("f.txt"), data.length, 0, false,
        List.of(new BlockInfo(0, data.length, Sha256.of(data))), Sha256.of(data),
        VersionVector.empty().increment(me, 1), me);
    FileAssembly assembly = new FileAssembly(new DiskView(dir), null, target);
    assembly.close();

    assertThatThrownBy(() -> assembly.write(target.blocks().get(0), data)).isInstanceOf(IOException.class);
  }
}
