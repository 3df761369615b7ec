package dev.jsync.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DisconnectReason;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.LinkClosedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real NettyTransports over TCP on 127.0.0.1, on the JDK's TLS (the subclass: OpenSSL's). */
class NettyTransportLoopbackTest {

  @TempDir
  Path dir;

  final Closer closer = new Closer();

  /** The TLS engine every node of these tests uses. */
  TlsEngine engine() {
    return TlsEngine.JDK;
  }

  NetConfig config(Path stateDir, String name, String secret, InetSocketAddress... peers) {
    return TestNodes.config(stateDir, name, secret, peers).withTlsEngine(engine());
  }

  @AfterEach
  void closeAll() {
    closer.close();
  }

  @Test
  void rightSecretConnectsAndExchangesIndexAndBlocks() throws Exception {
    RecordingHandler bEvents = new RecordingHandler("b");
    NettyTransport b = closer.add(new NettyTransport(config(dir.resolve("b"), "b", TestNodes.SECRET)));
    b.start(bEvents);
    RecordingHandler aEvents = new RecordingHandler("a");
    NettyTransport a = closer.add(new NettyTransport(
        config(dir.resolve("a"), "a", TestNodes.SECRET, b.localAddress())));
    a.start(aEvents);

    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.upLinks() == 1 && bEvents.upLinks() == 1);
    PeerLink aToB = aEvents.lastLink();
    PeerLink bToA = bEvents.lastLink();
    assertThat(aToB.peer()).isEqualTo(b.deviceId());
    assertThat(bToA.peer()).isEqualTo(a.deviceId());
    assertThat(aEvents.connected.get(0).hello().deviceName()).isEqualTo("b");
    assertThat(bEvents.connected.get(0).hello().deviceName()).isEqualTo("a");

    // An index batch from A reaches B intact.
    byte[] content = "hello, block".getBytes();
    Sha256 hash = Sha256.of(content);
    FileRecord record = FileRecord.file(RelativePath.of("notes/hello.md"), content.length, 1, false,
        List.of(new BlockInfo(0, content.length, hash)), hash, VersionVector.empty().increment(a.deviceId()),
        a.deviceId()).withSequence(1);
    aToB.sendIndex(new IndexUpdate(42, 0, 1, List.of(record))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(bEvents.nextIndex()).isEqualTo(new IndexUpdate(42, 0, 1, List.of(record)));

    // B asks A for the block; A's engine answers; many requests are in flight at once.
    aEvents.responder = (request, reply) -> reply.accept(BlockReply.data(content));
    var replies = new java.util.ArrayList<java.util.concurrent.CompletableFuture<BlockReply>>();
    for (int i = 0; i < 50; i++) {
      replies.add(bToA.requestBlock(new BlockRequest(record.path(), 0, content.length, hash)).toCompletableFuture());
    }
    for (var f : replies) {
      assertThat(((BlockReply.Data) f.get(10, TimeUnit.SECONDS)).bytes()).isEqualTo(content);
    }
    assertThat(aEvents.requests).hasSize(50);
    assertThat(aEvents.requests.peek().link().peer()).isEqualTo(b.deviceId());
  }


  NettyTransport start(NetConfig config, RecordingHandler events) throws IOException {
    NettyTransport t = closer.add(new NettyTransport(config));
    t.start(events);
    return t;
  }

  @Test
  void wrongSecretConnectsNothingAndIsReportedOnBothEnds() throws Exception {
    RecordingHandler bEvents = new RecordingHandler("b");
    NettyTransport b = start(config(dir.resolve("b"), "b", TestNodes.SECRET), bEvents);
    RecordingHandler aEvents = new RecordingHandler("a");
    start(config(dir.resolve("a"), "a", "not the secret", b.localAddress()), aEvents);

    // The dialer finds the listener's key confirmation wrong and refuses without sending its own;
    // the listener counts the refusal as a failed guess. Both tell their engine why.
    await().atMost(Duration.ofSeconds(10)).until(() ->
        !bEvents.failures(DisconnectReason.AUTHENTICATION_FAILED, "after our key confirmation").isEmpty()
            && !aEvents.failures(DisconnectReason.AUTHENTICATION_FAILED, "key confirmation does not match").isEmpty());
    assertThat(aEvents.failures.get(0).address()).as("the dialer names the address it dialed")
        .isEqualTo("127.0.0.1:" + b.localAddress().getPort());
    assertThat(bEvents.failures.get(0).address()).as("the listener names where it came from, without the port")
        .isEqualTo("127.0.0.1");
    assertThat(bEvents.failures.get(0).peer()).as("an unauthenticated claim is no identity").isEmpty();
    Thread.sleep(300);
    assertThat(aEvents.connected).isEmpty();
    assertThat(bEvents.connected).isEmpty();
  }

  @Test
  void peerKilledMidTransferFailsPendingRequests() throws Exception {
    RecordingHandler bEvents = new RecordingHandler("b");
    NettyTransport b = start(config(dir.resolve("b"), "b", TestNodes.SECRET), bEvents);
    TcpRelay relay = closer.add(new TcpRelay(b.localAddress()));
    RecordingHandler aEvents = new RecordingHandler("a");
    start(config(dir.resolve("a"), "a", TestNodes.SECRET, relay.address()), aEvents);
    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.upLinks() == 1 && bEvents.upLinks() == 1);

    // B's engine never answers: ten requests stay in flight until the network dies.
    Sha256 hash = Sha256.of(new byte[] {1});
    List<CompletableFuture<BlockReply>> pending = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      pending.add(aEvents.lastLink().requestBlock(
          new BlockRequest(RelativePath.of("big.bin"), (long) i * BlockInfo.SIZE, BlockInfo.SIZE, hash))
          .toCompletableFuture());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> bEvents.requests.size() == 10);
    assertThat(pending).noneMatch(CompletableFuture::isDone);

    relay.kill();

    for (CompletableFuture<BlockReply> f : pending) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(LinkClosedException.class);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.disconnected.size() == 1);
    // A request on the dead link fails at once instead of hanging.
    assertThatThrownBy(() -> aEvents.connected.get(0).link()
        .requestBlock(new BlockRequest(RelativePath.of("x"), 0, 1, hash)).toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(LinkClosedException.class);
  }

  @Test
  void frozenPeerIsFoundDeadByTheIdleTimeout() throws Exception {
    RecordingHandler bEvents = new RecordingHandler("b");
    NettyTransport b = start(config(dir.resolve("b"), "b", TestNodes.SECRET), bEvents);
    TcpRelay relay = closer.add(new TcpRelay(b.localAddress()));
    RecordingHandler aEvents = new RecordingHandler("a");
    start(config(dir.resolve("a"), "a", TestNodes.SECRET, relay.address()), aEvents);
    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.upLinks() == 1);
    // Pings keep a quiet link alive past the idle timeout (3 s in these tests)...
    Thread.sleep(3500);
    assertThat(aEvents.disconnected).isEmpty();
    // ...but once nothing flows, the idle timeout closes it.
    relay.freeze();
    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.disconnected.size() == 1);
    assertThat(aEvents.disconnected.get(0).reason()).contains("IDLE_TIMEOUT");
  }

  @Test
  void reconnectsAfterTheListenerRestarts() throws Exception {
    RecordingHandler b1Events = new RecordingHandler("b");
    NettyTransport b1 = start(config(dir.resolve("b"), "b", TestNodes.SECRET), b1Events);
    InetSocketAddress bAddress = b1.localAddress();
    RecordingHandler aEvents = new RecordingHandler("a");
    start(config(dir.resolve("a"), "a", TestNodes.SECRET, bAddress), aEvents);
    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.upLinks() == 1);

    b1.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.disconnected.size() == 1);
    assertThat(aEvents.disconnected.get(0).reason()).contains("SHUTDOWN");

    // Same state folder, same port: the same device comes back, and A finds it on its own.
    RecordingHandler b2Events = new RecordingHandler("b");
    NettyTransport b2 = start(config(dir.resolve("b"), "b", TestNodes.SECRET).withListen(bAddress),
        b2Events);
    assertThat(b2.deviceId()).isEqualTo(b1.deviceId());
    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.connected.size() == 2 && aEvents.upLinks() == 1);
    assertThat(aEvents.lastLink().peer()).isEqualTo(b2.deviceId());
    assertThat(b2Events.upLinks()).isEqualTo(1);
  }

  /**
   * The same two running nodes lose their link three times in a row (every connection reset, as
   * when a laptop sleeps or a VPN reconnects) and each time the dialer is back within the
   * back-off, authenticating at the first attempt. A resumed TLS session carries no
   * certificates, to which authentication is bound: a dialer that offered to resume one failed
   * with "no usable certificates" until a full handshake happened by chance (seen on BoringSSL,
   * OpenSslLoopbackTest's run of this test; the JDK's engine did not resume on this loopback).
   */
  @Test
  void aLinkCutThreeTimesComesBackEachTimeWithAFullHandshake() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      RecordingHandler bEvents = new RecordingHandler("b");
      NettyTransport b = start(config(dir.resolve("b"), "b", TestNodes.SECRET), bEvents);
      TcpRelay relay = closer.add(new TcpRelay(b.localAddress()));
      RecordingHandler aEvents = new RecordingHandler("a");
      start(config(dir.resolve("a"), "a", TestNodes.SECRET, relay.address()), aEvents);
      await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.upLinks() == 1 && bEvents.upLinks() == 1);
      for (int cut = 1; cut <= 3; cut++) {
        int links = cut + 1;
        relay.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.connected.size() == links
            && aEvents.upLinks() == 1 && bEvents.connected.size() == links && bEvents.upLinks() == 1);
      }
      assertThat(logs.matching("no usable certificates")).isEmpty();
      assertThat(logs.matching("authentication failed")).isEmpty();
    }
  }

  @Test
  void simultaneousDialKeepsOneLink() throws Exception {
    InetSocketAddress aAddress = freeLoopbackPort();
    InetSocketAddress bAddress = freeLoopbackPort();
    RecordingHandler aEvents = new RecordingHandler("a");
    RecordingHandler bEvents = new RecordingHandler("b");
    NettyTransport a = closer.add(new NettyTransport(
        config(dir.resolve("a"), "a", TestNodes.SECRET, bAddress).withListen(aAddress)));
    NettyTransport b = closer.add(new NettyTransport(
        config(dir.resolve("b"), "b", TestNodes.SECRET, aAddress).withListen(bAddress)));
    a.start(aEvents);
    b.start(bEvents);

    // The survivor is the connection dialed by the smaller device id, on both ends. The other one
    // may come up first (whichever dial got through first) and is then replaced once.
    boolean aSmaller = a.deviceId().compareTo(b.deviceId()) < 0;
    await().atMost(Duration.ofSeconds(10)).until(() -> aEvents.upLinks() == 1 && bEvents.upLinks() == 1
        && aEvents.lastLink().toString().contains(aSmaller ? "(dialed)" : "(accepted)")
        && bEvents.lastLink().toString().contains(aSmaller ? "(accepted)" : "(dialed)"));
    assertThat(aEvents.connected.size()).isLessThanOrEqualTo(2);
    // It stays that way: no flapping between the two connections, no redial loop.
    int aConnects = aEvents.connected.size();
    int bConnects = bEvents.connected.size();
    Thread.sleep(1500);
    assertThat(aEvents.upLinks()).isEqualTo(1);
    assertThat(bEvents.upLinks()).isEqualTo(1);
    assertThat(aEvents.connected).hasSize(aConnects);
    assertThat(bEvents.connected).hasSize(bConnects);
    assertThat(aEvents.lastLink().toString()).contains(aSmaller ? "(dialed)" : "(accepted)");
    assertThat(bEvents.lastLink().toString()).contains(aSmaller ? "(accepted)" : "(dialed)");
  }

  private static InetSocketAddress freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return new InetSocketAddress("127.0.0.1", s.getLocalPort());
    }
  }

  @Test
  void aDialThatFailsIsReportedWithItsReasonInWords() throws Exception {
    InetSocketAddress closed = freeLoopbackPort();
    RecordingHandler aEvents = new RecordingHandler("a");
    start(config(dir.resolve("a"), "a", TestNodes.SECRET, InetSocketAddress.createUnresolved("127.0.0.1",
        closed.getPort()), InetSocketAddress.createUnresolved("no-such-host.invalid", 7777)), aEvents);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        !aEvents.failures(DisconnectReason.REFUSED, "connection refused").isEmpty()
            && !aEvents.failures(DisconnectReason.UNREACHABLE, "the name does not resolve").isEmpty());
    assertThat(aEvents.failures).extracting(f -> f.address())
        .contains("127.0.0.1:" + closed.getPort(), "no-such-host.invalid:7777");
    assertThat(aEvents.failures).allSatisfy(f -> assertThat(f.detail()).doesNotContain("Exception", "/"));
  }

  @Test
  void manInTheMiddleReterminatingTlsFailsAuthentication() throws Exception {
    RecordingHandler bEvents = new RecordingHandler("b");
    NettyTransport b = start(config(dir.resolve("b"), "b", TestNodes.SECRET), bEvents);
    MitmProxy mitm = closer.add(new MitmProxy(b.localAddress()));
    RecordingHandler aEvents = new RecordingHandler("a");
    // Both real ends know the secret; A is tricked into dialing the proxy.
    start(config(dir.resolve("a"), "a", TestNodes.SECRET, mitm.address()), aEvents);

    // Each end checks the other's J-PAKE round 1 against the certificate it sees (the proxy's):
    // it was signed for another one, so both refuse before anything secret-dependent is sent.
    await().atMost(Duration.ofSeconds(10)).until(() ->
        !bEvents.failures(DisconnectReason.AUTHENTICATION_FAILED).isEmpty()
            && !aEvents.failures(DisconnectReason.AUTHENTICATION_FAILED).isEmpty());
    assertThat(java.util.stream.Stream.concat(aEvents.failures.stream(), bEvents.failures.stream()))
        .anyMatch(f -> f.detail().contains("round 1 does not verify for the certificate it presented"));
    assertThat(mitm.relayedChunks.get()).isPositive();
    Thread.sleep(300);
    assertThat(aEvents.connected).isEmpty();
    assertThat(bEvents.connected).isEmpty();
  }
}
