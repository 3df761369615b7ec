package dev.jsync.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jsync.core.FileRecord;
import dev.jsync.core.Sha256;
import dev.jsync.core.SyncEvent;
import dev.jsync.core.SyncOptions;
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.PeerLink;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-peer kit over loopback: a real node (SyncNode, RocksDB store, Netty transport with
 * TLS on 127.0.0.1) attacked by a {@link ScriptedAttacker} that knows the secret. After every
 * attack the node is still running and still syncs with an honest peer, and a canary file
 * outside its folder is neither changed nor read: none of its bytes reach the attacker.
 */
class HostilePeerLoopbackTest {

  private static final Duration T = Duration.ofSeconds(30);
  private static final byte[] CANARY = "SECRET-KEY-MATERIAL: never leaves this file".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EVIL = "written by the attacker".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <C extends AutoCloseable> C opened(C c) {
    open.add(c);
    return c;
  }

  /**
   * On a case-insensitive folder (macOS and Windows by default; Jimfs's macOS configuration
   * here), {@code .JSYNC/...} is the state folder and {@code .Jsync-tmp-...} is the name the next
   * download's temp file gets. Both are refused as they arrive: the connection is dropped, the
   * state folder keeps its files, the link is never made and nothing outside is written.
   */
  @Test
  void caseVariantsOfReservedNamesNeverReachTheStateFolderOrATempFile() throws Exception {
    FileSystem fs = opened(Jimfs.newFileSystem(Configuration.osX()));
    Path folder = Files.createDirectories(fs.getPath("/vault"));
    // Where a node keeps its device key and its index; the scanner leaves it alone, as it does the
    // real one (the store itself needs a real disk, so it lives in a real folder here).
    Path state = Files.createDirectories(folder.resolve(".jsync"));
    Files.writeString(state.resolve("device.pem"), "the device key");
    Path canary = Files.write(Files.createDirectories(fs.getPath("/outside")).resolve("canary"), CANARY);
    LoopbackNode victim = opened(LoopbackNode.start(folder, dir.resolve("victim-state"), "victim", List.of()));
    ScriptedAttacker attacker = opened(new ScriptedAttacker(dir.resolve("attacker-state"), victim.address()));

    PeerLink link = attacker.nextLink();
    attacker.announce(link, List.of(attacker.file(".JSYNC/planted", EVIL), attacker.file(".Jsync/device.pem", EVIL)));
    awaitUntil(() -> attacker.closedBecause(link) != null || !stateUntouched(state));
    assertThat(stateUntouched(state)).as("the state folder holds only its own file, unchanged").isTrue();
    assertThat(attacker.closedBecause(link)).contains("PROTOCOL_ERROR");

    // The temp name the victim will use for f.md, in another case, as a link to the canary.
    ScriptedAttacker.Announced payload = attacker.file("f.md", EVIL);
    String temp = tempName("f.md", payload.placeholder());
    String disguised = ".J" + temp.substring(2);
    PeerLink again = attacker.nextLink();
    attacker.announce(again, List.of(attacker.link(disguised, canary.toString()), payload));
    awaitUntil(() -> attacker.closedBecause(again) != null || !Arrays.equals(Files.readAllBytes(canary), CANARY));
    assertThat(Files.readAllBytes(canary)).isEqualTo(CANARY);
    assertThat(attacker.closedBecause(again)).contains("PROTOCOL_ERROR");
    try (var s = Files.list(folder)) {
      assertThat(s.filter(Files::isSymbolicLink).toList()).as("no link made").isEmpty();
    }

    stillSyncs(victim);
    assertNothingLeaked(attacker);
  }

  /**
   * The attacker asks for blocks of a file the victim indexed, after the file was swapped for a
   * link to the canary (and a folder for a link to the canary's folder), before any scan saw
   * it: the answer is CHANGED, whether it asks with the indexed hash or the canary's.
   */
  @Test
  void aFileSwappedForALinkWhileBeingServedIsNeverReadThroughIt() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("vault"));
    byte[] note = "a public note".getBytes(StandardCharsets.UTF_8);
    Files.write(folder.resolve("a.md"), note);
    Files.write(Files.createDirectories(folder.resolve("d")).resolve("b.md"), note);
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path canary = Files.write(outside.resolve("canary"), CANARY);
    Files.write(outside.resolve("b.md"), CANARY);
    LoopbackNode victim = opened(LoopbackNode.start(folder, dir.resolve("victim-state"), "victim", List.of()));
    ScriptedAttacker attacker = opened(new ScriptedAttacker(dir.resolve("attacker-state"), victim.address()));
    PeerLink link = attacker.nextLink();
    awaitUntil(() -> attacker.recordsReceived.stream().filter(FileRecord::isLiveFile).count() >= 2);
    Sha256 noteHash = Sha256.of(note);

    BlockReply before = attacker.request(link, "a.md", 0, note.length, noteHash);
    assertThat(before).isInstanceOf(BlockReply.Data.class);
    assertThat(((BlockReply.Data) before).bytes()).isEqualTo(note);

    Files.delete(folder.resolve("a.md"));
    Files.createSymbolicLink(folder.resolve("a.md"), canary);
    Files.delete(folder.resolve("d/b.md"));
    Files.delete(folder.resolve("d"));
    Files.createSymbolicLink(folder.resolve("d"), outside);

    for (String path : List.of("a.md", "d/b.md")) {
      assertChanged(attacker.request(link, path, 0, note.length, noteHash));
      assertChanged(attacker.request(link, path, 0, CANARY.length, Sha256.of(CANARY)));
    }
    assertThat(Files.readAllBytes(canary)).isEqualTo(CANARY);
    stillSyncs(victim);
    assertNothingLeaked(attacker);
  }

  /**
   * Paths that climb out, are absolute, hide {@code ..} behind backslashes, hold a NUL or are
   * too long: each drops the connection as it arrives, and nothing is written anywhere.
   */
  @Test
  void pathsThatLeadOutOfTheFolderAreRefusedOnArrival() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("vault"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.write(outside.resolve("canary"), CANARY);
    LoopbackNode victim = opened(LoopbackNode.start(folder, dir.resolve("victim-state"), "victim", List.of()));
    ScriptedAttacker attacker = opened(new ScriptedAttacker(dir.resolve("attacker-state"), victim.address()));

    List<String> hostile = List.of("../outside/evil", outside.resolve("evil").toString(),
        "..\\outside\\evil", "a/../../outside/evil", "evil\u0000.md", "x".repeat(256), "\u00e9".repeat(128), "C:evil",
        ("y".repeat(200) + "/").repeat(21) + "evil");
    for (String path : hostile) {
      PeerLink link = attacker.nextLink();
      attacker.announce(link, List.of(attacker.file(path, EVIL)));
      assertThat(attacker.awaitClosed(link, T)).as(path).contains("PROTOCOL_ERROR");
    }
    try (var s = Files.list(outside)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("canary");
    }
    try (var s = Files.list(folder)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".jsync")).toList()).isEmpty();
    }
    stillSyncs(victim);
    assertNothingLeaked(attacker);
  }

  /**
   * A peer that announces new paths forever (a valid index, batch after batch) is stopped at the
   * number of records one peer may make the node hold: the batch that would go beyond it is
   * refused whole and the link closed, with an error event saying why; on the next link the
   * stream goes on where it stopped and is refused again. The node holds exactly the cap of the
   * attacker's records, and keeps syncing with an honest peer.
   */
  @Test
  void anEndlessStreamOfNewPathsStopsAtTheRecordCap() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("vault"));
    Path canary = Files.write(Files.createDirectories(dir.resolve("outside")).resolve("canary"), CANARY);
    int cap = 50;
    LoopbackNode victim = opened(LoopbackNode.start(folder, dir.resolve("victim-state"), "victim", List.of(),
        SyncOptions.defaults().withPeerIndexLimits(cap, 1L << 30)));
    ScriptedAttacker attacker = opened(new ScriptedAttacker(dir.resolve("attacker-state"), victim.address()));

    int sent = 0;
    for (int round = 0; round < 2; round++) {
      PeerLink link = attacker.nextLink();
      for (int batch = 0; batch < 400 && attacker.closedBecause(link) == null; batch++) {
        List<ScriptedAttacker.Announced> records = new ArrayList<>();
        for (int i = 0; i < 10; i++, sent++) {
          records.add(attacker.file("n" + sent + ".md", EVIL));
        }
        attacker.stream(link, records);
        Thread.sleep(5);
      }
      assertThat(attacker.awaitClosed(link, T)).as("round %d", round).contains("index rejected");
      assertThat(victim.remoteRecords(attacker.id())).isEqualTo(cap);
    }
    assertThat(sent).isGreaterThan(cap + 10);
    assertThat(victim.events).anyMatch(e -> e instanceof SyncEvent.Error err
        && err.category() == SyncEvent.Error.Category.PEER && err.message().contains("more than the " + cap));
    assertThat(victim.events).anyMatch(e -> e instanceof SyncEvent.PeerDisconnected d
        && d.peer().equals(attacker.id()) && d.detail().contains("index rejected"));
    assertThat(Files.readAllBytes(canary)).isEqualTo(CANARY);
    stillSyncs(victim);
    assertThat(victim.remoteRecords(attacker.id())).isEqualTo(cap);
  }

  /**
   * A peer that announces the same paths forever, each batch a newer version of them with a
   * higher sequence: the node keeps one record per path, however long the stream, and reads it
   * only as fast as it applies it (IndexBudgetTest shows the pause).
   */
  @Test
  void anEndlessStreamOfTheSamePathsHoldsOneRecordPerPath() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("vault"));
    LoopbackNode victim = opened(LoopbackNode.start(folder, dir.resolve("victim-state"), "victim", List.of()));
    ScriptedAttacker attacker = opened(new ScriptedAttacker(dir.resolve("attacker-state"), victim.address()));
    PeerLink link = attacker.nextLink();
    int paths = 20;
    int batches = 60;
    for (int batch = 1; batch <= batches; batch++) {
      List<ScriptedAttacker.Announced> records = new ArrayList<>();
      for (int i = 0; i < paths; i++) {
        records.add(attacker.file("same" + i + ".md", EVIL, batch));
      }
      attacker.stream(link, records);
    }
    awaitUntil(() -> victim.status().peers().stream()
        .anyMatch(p -> p.peer().equals(attacker.id()) && p.receivedSequence() == (long) paths * batches));
    assertThat(victim.remoteRecords(attacker.id())).isEqualTo(paths);
    assertThat(attacker.closedBecause(link)).isNull();
    stillSyncs(victim);
  }

  /**
   * Records of files larger than the node accepts from a peer are refused as they arrive: one
   * whose size and block list disagree (a terabyte with one block) is a protocol error; one of
   * 20 GiB with all its 163,840 block hashes, beyond the 1 GiB this node is set to accept, is
   * refused with the link, before it is stored or anything of it is pulled.
   */
  @Test
  void hugeFilesAreRefusedAsTheyArrive() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("vault"));
    LoopbackNode victim = opened(LoopbackNode.start(folder, dir.resolve("victim-state"), "victim", List.of(),
        SyncOptions.defaults().withPeerIndexLimits(1_000, 1L << 30)));
    ScriptedAttacker attacker = opened(new ScriptedAttacker(dir.resolve("attacker-state"), victim.address()));

    PeerLink link = attacker.nextLink();
    attacker.announceWithSize(link, "terabyte.bin", 1L << 40);
    assertThat(attacker.awaitClosed(link, T)).contains("PROTOCOL_ERROR");

    PeerLink again = attacker.nextLink();
    attacker.announce(again, List.of(attacker.file("small.md", EVIL), attacker.hugeFile("huge.bin", 20L << 30)));
    assertThat(attacker.awaitClosed(again, T)).contains("index rejected");
    assertThat(victim.events).anyMatch(e -> e instanceof SyncEvent.Error err
        && err.message().contains("huge.bin is announced as a file of " + (20L << 30) + " bytes"));
    assertThat(victim.remoteRecords(attacker.id())).isZero();
    assertThat(victim.status().peers()).filteredOn(p -> p.peer().equals(attacker.id()))
        .allMatch(p -> p.filesNeeded() == 0 && p.bytesNeeded() == 0);
    stillSyncs(victim);
    try (var s = Files.list(folder)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".jsync")).toList())
          .containsExactly("after-the-attack.md");
    }
  }

  private static boolean stateUntouched(Path state) throws java.io.IOException {
    try (var s = Files.list(state)) {
      return s.map(p -> p.getFileName().toString()).toList().equals(List.of("device.pem"))
          && Files.readString(state.resolve("device.pem")).equals("the device key");
    }
  }

  /** An honest peer connects and its new file arrives in the victim's folder. */
  private void stillSyncs(LoopbackNode victim) throws Exception {
    assertThat(victim.running()).isTrue();
    Path friendFolder = Files.createDirectories(dir.resolve("friend"));
    Files.writeString(friendFolder.resolve("after-the-attack.md"), "still syncing");
    opened(LoopbackNode.start(friendFolder, dir.resolve("friend-state"), "friend", List.of(victim.address())));
    Path arrived = victim.folder.resolve("after-the-attack.md");
    awaitUntil(() -> Files.exists(arrived) && Files.readString(arrived).equals("still syncing"));
    assertThat(Files.readString(arrived)).isEqualTo("still syncing");
  }

  private static void assertNothingLeaked(ScriptedAttacker attacker) {
    String canary = new String(CANARY, StandardCharsets.ISO_8859_1);
    for (byte[] got : attacker.bytesReceived) {
      String s = new String(got, StandardCharsets.ISO_8859_1);
      assertThat(s.contains(canary.substring(0, 12)) || canary.contains(s) && !s.isEmpty())
          .as("the attacker received canary bytes: %s", s).isFalse();
    }
  }

  private static void assertChanged(BlockReply reply) {
    assertThat(reply).isInstanceOf(BlockReply.Failure.class);
    assertThat(((BlockReply.Failure) reply).error()).isEqualTo(BlockError.CHANGED);
  }

  /** The temp file name a download of {@code record} at {@code name} gets (FileAssembly's rule). */
  private static String tempName(String name, FileRecord record) {
    String nameHash = Sha256.of(name.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
    return ".jsync-tmp-" + nameHash + "-" + record.contentHash().toString().substring(0, 16);
  }

  private static void awaitUntil(Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + T.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + T);
      }
      Thread.sleep(20);
    }
  }
}
