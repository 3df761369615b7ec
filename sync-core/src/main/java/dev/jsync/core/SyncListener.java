package dev.jsync.core;

/**
 * Receives a {@link SyncNode}'s events. Added with {@link SyncNode.Builder#listener(SyncListener)}
 * it is called on the node's control thread: return quickly and do not call back into the node's
 * blocking methods. Added with {@link SyncNode.Builder#listener(SyncListener, java.util.concurrent.Executor)}
 * it is called on that executor, one event at a time, in order. An exception thrown here is
 * logged and otherwise ignored.
 */
@FunctionalInterface
public interface SyncListener {

  void onEvent(SyncEvent event);

  /** A listener that ignores everything. */
  SyncListener NONE = event -> { };
}
