package dev.jsync.testkit.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncNode;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import dev.jsync.core.store.StoreBatch;
import dev.jsync.testkit.InMemoryIndexStore;
import dev.jsync.testkit.InMemoryNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node whose start fails says so, whatever was thrown. */
class NodeStartFailureTest {

  @TempDir
  Path folder;

  @Test
  void anErrorWhileLoadingFailsStartInsteadOfHangingIt() {
    InMemoryNetwork network = new InMemoryNetwork(Executors.newSingleThreadExecutor());
    DeviceId id = DeviceId.fromName("a");
    // An Error, not an Exception: what a native library that fails to link, or a full heap, throws.
    IndexStore broken = new FailingStore(new InMemoryIndexStore(), new LinkageError("no native library here"));
    SyncNode node = SyncNode.builder(folder, broken, network.transport(id))
        .device(id).options(SyncOptions.defaults().withWatch(false)).build();

    assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThatThrownBy(node::start).hasMessageContaining("no native library here"));
    node.close();
  }

  /** Delegates to a working store, except that reading metadata throws {@code error}. */
  private record FailingStore(IndexStore store, Error error) implements IndexStore {
    @Override
    public Optional<byte[]> metadata(String key) {
      throw error;
    }

    @Override
    public Optional<LocalEntry> local(RelativePath path) {
      return store.local(path);
    }

    @Override
    public void forEachLocal(Consumer<LocalEntry> action) {
      store.forEachLocal(action);
    }

    @Override
    public List<FileRecord> localSince(long afterSequence, int limit) {
      return store.localSince(afterSequence, limit);
    }

    @Override
    public long lastSequence() {
      return store.lastSequence();
    }

    @Override
    public Optional<FileRecord> remote(DeviceId peer, RelativePath path) {
      return store.remote(peer, path);
    }

    @Override
    public void forEachRemote(DeviceId peer, Consumer<FileRecord> action) {
      store.forEachRemote(peer, action);
    }

    @Override
    public IndexPosition position(DeviceId peer) {
      return store.position(peer);
    }

    @Override
    public Set<DeviceId> peers() {
      return store.peers();
    }

    @Override
    public List<BlockLocation> blockLocations(Sha256 hash, int limit) {
      return store.blockLocations(hash, limit);
    }

    @Override
    public Optional<dev.jsync.core.VersionVector> expired(RelativePath path) {
      return store.expired(path);
    }

    @Override
    public List<RelativePath> downloadFolders() {
      return store.downloadFolders();
    }

    @Override
    public void apply(StoreBatch batch) {
      store.apply(batch);
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
