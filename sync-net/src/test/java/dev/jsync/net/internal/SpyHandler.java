package dev.jsync.net.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.TransportHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Records the transport's callbacks; never answers block requests unless told to. */
final class SpyHandler implements TransportHandler {

  final List<PeerLink> connected = new CopyOnWriteArrayList<>();
  final List<Hello> hellos = new CopyOnWriteArrayList<>();
  final List<String> disconnected = new CopyOnWriteArrayList<>();
  final List<dev.jsync.core.transport.ConnectionFailure> failures = new CopyOnWriteArrayList<>();
  final List<IndexUpdate> indexes = new CopyOnWriteArrayList<>();
  final List<BlockRequest> requests = new CopyOnWriteArrayList<>();
  final List<Consumer<BlockReply>> replies = new CopyOnWriteArrayList<>();
  /** One per index batch, completed at once unless {@link #applyAtOnce} is off. */
  final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
  volatile boolean applyAtOnce = true;
  private final String name;

  SpyHandler(String name) {
    this.name = name;
  }

  @Override
  public Hello helloFor(DeviceId peer) {
    return new Hello(name, 1, 0, IndexPosition.NONE);
  }

  @Override
  public void connected(PeerLink link, Hello theirs) {
    connected.add(link);
    hellos.add(theirs);
  }

  @Override
  public void connectionFailed(dev.jsync.core.transport.ConnectionFailure failure) {
    failures.add(failure);
  }

  /** The failures of {@code reason} whose details contain every one of {@code parts}. */
  List<dev.jsync.core.transport.ConnectionFailure> failures(dev.jsync.core.DisconnectReason reason, String... parts) {
    return failures.stream().filter(f -> f.reason() == reason && java.util.Arrays.stream(parts).allMatch(f.detail()::contains))
        .toList();
  }

  @Override
  public void disconnected(PeerLink link, String reason) {
    disconnected.add(reason);
  }

  @Override
  public CompletionStage<Void> indexReceived(PeerLink link, IndexUpdate update) {
    indexes.add(update);
    CompletableFuture<Void> applied = new CompletableFuture<>();
    pending.add(applied);
    if (applyAtOnce) {
      applied.complete(null);
    }
    return applied;
  }

  @Override
  public void indexRequested(PeerLink link, long indexEpoch, long afterSequence) {
    indexes.add(new IndexUpdate(indexEpoch, afterSequence, afterSequence, java.util.List.of()));
  }

  @Override
  public void blockRequested(PeerLink link, BlockRequest request, Consumer<BlockReply> reply) {
    requests.add(request);
    replies.add(reply);
  }
}
