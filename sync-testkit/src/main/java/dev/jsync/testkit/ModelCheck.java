package dev.jsync.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.store.BlockLocation;
import dev.jsync.core.store.IndexStore;
import dev.jsync.core.store.LocalEntry;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Asserts that a store answers every query as the {@link ReferenceIndex} does, over the pools of
 * {@link StoreScripts}. Stateless.
 */
final class ModelCheck {

  private ModelCheck() {}

  static void assertMatches(IndexStore store, ReferenceIndex model) {
    List<LocalEntry> locals = new ArrayList<>();
    store.forEachLocal(locals::add);
    assertThat(locals).as("forEachLocal").containsExactlyElementsOf(model.locals());
    for (RelativePath path : StoreScripts.PATHS) {
      assertThat(store.local(path)).as("local(%s)", path).isEqualTo(model.local(path));
    }
    long last = model.lastSequence();
    assertThat(store.lastSequence()).as("lastSequence").isEqualTo(last);
    for (long after : new long[] {-1, 0, last / 2, last - 1, last}) {
      for (int limit : new int[] {0, 1, 3, Integer.MAX_VALUE}) {
        assertThat(store.localSince(after, limit)).as("localSince(%d, %d)", after, limit)
            .containsExactlyElementsOf(model.localSince(after, limit));
      }
    }
    for (DeviceId peer : StoreScripts.PEERS) {
      List<FileRecord> remotes = new ArrayList<>();
      store.forEachRemote(peer, remotes::add);
      assertThat(remotes).as("forEachRemote(%s)", peer).containsExactlyElementsOf(model.remotes(peer));
      assertThat(store.position(peer)).as("position(%s)", peer).isEqualTo(model.position(peer));
      for (RelativePath path : StoreScripts.PATHS) {
        assertThat(store.remote(peer, path)).as("remote(%s, %s)", peer, path).isEqualTo(model.remote(peer, path));
      }
    }
    assertThat(store.peers()).as("peers").isEqualTo(model.peers());
    for (Sha256 hash : StoreScripts.HASHES) {
      assertBlockLocations(store, hash, model.filesWithBlock(hash));
    }
    for (String key : StoreScripts.METADATA_KEYS) {
      assertThat(hex(store.metadata(key))).as("metadata(%s)", key).isEqualTo(hex(model.metadata(key)));
    }
  }

  /** The store lists exactly {@code files} for {@code hash}, each at a block that has it. */
  static void assertBlockLocations(IndexStore store, Sha256 hash, Set<RelativePath> files) {
    List<BlockLocation> all = store.blockLocations(hash, Integer.MAX_VALUE);
    assertThat(all.stream().map(BlockLocation::path).toList()).as("blockLocations(%s)", hash)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(files);
    for (BlockLocation location : all) {
      FileRecord record = store.local(location.path()).orElseThrow().record();
      assertThat(record.blocks()).as("blocks of %s", location.path())
          .contains(new BlockInfo(location.offset(), location.length(), hash));
    }
    List<BlockLocation> one = store.blockLocations(hash, 1);
    assertThat(one).as("blockLocations(%s, 1)", hash).hasSize(Math.min(1, files.size()));
    assertThat(paths(all)).containsAll(paths(one));
  }

  private static Optional<String> hex(Optional<byte[]> value) {
    return value.map(HexFormat.of()::formatHex);
  }

  static Set<RelativePath> paths(List<BlockLocation> locations) {
    return locations.stream().map(BlockLocation::path).collect(Collectors.toSet());
  }
}
