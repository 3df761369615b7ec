package dev.jsync.core.transport;

import dev.jsync.core.DeviceId;
import dev.jsync.core.DisconnectReason;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The engine's side of a {@link Transport}: the transport calls it, from any of its threads,
 * when something happens on the network. Implementations (the engine) are thread-safe and
 * return quickly, handing real work to their own executor.
 */
public interface TransportHandler {

  /** What to tell {@code peer} in the hello of a new, authenticated connection. */
  Hello helloFor(DeviceId peer);

  /** A connection is authenticated and both hellos are exchanged. */
  void connected(PeerLink link, Hello theirs);

  /** The link to {@code peer} closed (or failed); {@code reason} is for logs and status. */
  void disconnected(PeerLink link, String reason);

  /**
   * Like {@link #disconnected(PeerLink, String)}, from a transport that can tell why the link
   * ended. The default passes {@code detail} on to the two-argument form.
   */
  default void disconnected(PeerLink link, DisconnectReason why, String detail) {
    disconnected(link, detail);
  }

  /**
   * A dial, or a connection a peer made, failed before it became a link (refused, unreachable,
   * authentication failed, another protocol version). The transport keeps trying on its own;
   * this is for events and status. Default: ignored.
   */
  default void connectionFailed(ConnectionFailure failure) {
  }

  /**
   * An index batch arrived on {@code link}. The returned stage completes once the batch has been
   * applied (or dropped): until then it holds memory, and a transport may stop reading from the
   * peer while too many of its batches are pending (a memory budget per connection).
   */
  CompletionStage<Void> indexReceived(PeerLink link, IndexUpdate update);

  /**
   * {@code link}'s peer asks for the local index again from after {@code afterSequence} of
   * epoch {@code indexEpoch} (see {@link PeerLink#requestIndexFrom}).
   */
  void indexRequested(PeerLink link, long indexEpoch, long afterSequence);

  /**
   * {@code link}'s peer asks for a block. Answer exactly once through {@code reply}, from any
   * thread; the transport drops the answer if the link closed meanwhile.
   */
  void blockRequested(PeerLink link, BlockRequest request, Consumer<BlockReply> reply);
}
