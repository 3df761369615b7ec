package dev.jsync.core.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.core.transport.PeerLink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A link to a peer that is not there: it records what the engine sends or asks for. Block
 * requests stay unanswered unless a test completes them.
 */
final class RecordingLink implements PeerLink {

  /** A request to resume the peer's index from after {@code afterSequence}. */
  record Resume(long epoch, long afterSequence) {}

  private final DeviceId peer;
  final List<IndexUpdate> sent = new ArrayList<>();
  final List<Resume> resumes = new ArrayList<>();
  final List<BlockRequest> blockRequests = new ArrayList<>();
  final List<CompletableFuture<BlockReply>> blockReplies = new ArrayList<>();
  String closedFor;
  /** Set by a test to make sends fail: the error for an update, or null to send it. */
  java.util.function.Function<IndexUpdate, RuntimeException> failWith = u -> null;
  /** The updates whose send failed. */
  final List<IndexUpdate> failed = new ArrayList<>();

  RecordingLink(DeviceId peer) {
    this.peer = peer;
  }

  @Override
  public DeviceId peer() {
    return peer;
  }

  @Override
  public CompletionStage<Void> sendIndex(IndexUpdate update) {
    RuntimeException error = failWith.apply(update);
    if (error != null) {
      failed.add(update);
      return CompletableFuture.failedFuture(error);
    }
    sent.add(update);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<BlockReply> requestBlock(BlockRequest request) {
    blockRequests.add(request);
    CompletableFuture<BlockReply> reply = new CompletableFuture<>();
    blockReplies.add(reply);
    return reply;
  }

  @Override
  public void requestIndexFrom(long indexEpoch, long afterSequence) {
    resumes.add(new Resume(indexEpoch, afterSequence));
  }

  @Override
  public void close(String reason) {
    closedFor = reason;
  }
}
