package dev.jsync.net;

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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** A spy engine: records every callback; answers block requests through a replaceable function. */
final class RecordingHandler implements TransportHandler {

  record Connected(PeerLink link, Hello hello) {
  }

  record Disconnected(PeerLink link, String reason) {
  }

  record Requested(PeerLink link, BlockRequest request, Consumer<BlockReply> reply) {
  }

  final String name;
  final List<Connected> connected = new CopyOnWriteArrayList<>();
  final List<Disconnected> disconnected = new CopyOnWriteArrayList<>();
  final LinkedBlockingQueue<IndexUpdate> indexes = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<Requested> requests = new LinkedBlockingQueue<>();
  final List<dev.jsync.core.transport.ConnectionFailure> failures = new CopyOnWriteArrayList<>();
  volatile BiConsumer<BlockRequest, Consumer<BlockReply>> responder = (r, reply) -> { };

  RecordingHandler(String name) {
    this.name = name;
  }

  @Override
  public Hello helloFor(DeviceId peer) {
    return new Hello(name, 42, 7, IndexPosition.NONE);
  }

  @Override
  public void connected(PeerLink link, Hello theirs) {
    connected.add(new Connected(link, theirs));
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
    disconnected.add(new Disconnected(link, reason));
  }

  @Override
  public CompletionStage<Void> indexReceived(PeerLink link, IndexUpdate update) {
    indexes.add(update);
    return CompletableFuture.completedFuture(null);
  }

  /** Index requests received, as {epoch, afterSequence}. */
  final LinkedBlockingQueue<long[]> indexRequests = new LinkedBlockingQueue<>();

  @Override
  public void indexRequested(PeerLink link, long indexEpoch, long afterSequence) {
    indexRequests.add(new long[] {indexEpoch, afterSequence});
  }

  @Override
  public void blockRequested(PeerLink link, BlockRequest request, Consumer<BlockReply> reply) {
    requests.add(new Requested(link, request, reply));
    responder.accept(request, reply);
  }

  /** Links reported connected and not (yet) disconnected. */
  int upLinks() {
    return connected.size() - disconnected.size();
  }

  PeerLink lastLink() {
    return connected.get(connected.size() - 1).link();
  }

  IndexUpdate nextIndex() throws InterruptedException {
    return indexes.poll(10, TimeUnit.SECONDS);
  }
}
