package dev.jsync.core;

/**
 * Receives a {@link SyncNode}'s events. Called on the node's control thread: return quickly and
 * do not call back into the node's blocking methods. An exception thrown here is logged and
 * otherwise ignored.
 */
@FunctionalInterface
public interface SyncListener {

  void onEvent(SyncEvent event);

  /** A listener that ignores everything. */
  SyncListener NONE = event -> { };
}
