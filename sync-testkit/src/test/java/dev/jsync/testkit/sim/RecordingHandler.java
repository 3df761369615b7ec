package dev.jsync.testkit.sim;

import dev.jsync.core.DeviceId;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.Hello;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import dev.jsync.core.transport.TransportHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A transport handler that records what happens and answers block requests with fixed bytes. */
final class RecordingHandler implements TransportHandler {

  final List<String> events = new ArrayList<>();
  final List<Long> indexBatches = new ArrayList<>();
  final List<Hello> hellos = new ArrayList<>();
  PeerLink link;
  int connects;
  int disconnects;

  @Override
  public Hello helloFor(DeviceId peer) {
    // Where this side has read its peer's stream, as an engine's store would say.
    long read = indexBatches.isEmpty() ? 0 : indexBatches.get(indexBatches.size() - 1);
    return new Hello("recorder", 1, 0, read == 0 ? IndexPosition.NONE : new IndexPosition(1, read));
  }

  @Override
  public void connected(PeerLink l, Hello theirs) {
    link = l;
    connects++;
    hellos.add(theirs);
    events.add("connected");
  }

  @Override
  public void disconnected(PeerLink l, String reason) {
    if (l == link) {
      link = null;
    }
    disconnects++;
    events.add("disconnected: " + reason);
  }

  @Override
  public CompletionStage<Void> indexReceived(PeerLink l, IndexUpdate update) {
    indexBatches.add(update.lastSequence());
    events.add("batch " + update.lastSequence());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void indexRequested(PeerLink l, long indexEpoch, long afterSequence) {
    events.add("index requested after " + afterSequence);
  }

  @Override
  public void blockRequested(PeerLink l, BlockRequest request, Consumer<BlockReply> reply) {
    reply.accept(BlockReply.data(new byte[request.length()]));
  }
}
