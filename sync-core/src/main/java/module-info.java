/**
 * jSync's core. Embedders use the exported packages: {@code dev.jsync.core} (the model, the
 * rules, {@link dev.jsync.core.SyncNode}), {@code dev.jsync.core.store} (the index store a node
 * persists to), {@code dev.jsync.core.transport} (how a node reaches its peers),
 * {@code dev.jsync.core.merge} (which notes are merged, and the merge),
 * {@code dev.jsync.core.disk} (what the engine does to a folder's disk, for tests and other file systems) and
 * {@code dev.jsync.core.history} (the version store: what was replaced or removed, and its
 * restore).
 *
 * <p>{@code dev.jsync.core.internal} (the engine, scanner, puller, ignore-pattern matcher) is
 * not an API: it is exported only to sync-bench, whose micro-benchmarks measure the scanner
 * and the block hasher directly. The main code of every other jSync module uses core through
 * the exported packages alone.
 */
// sync-bench is an automatic module, absent when core compiles; JGit has no descriptor of its own.
@SuppressWarnings({"module", "requires-automatic"})
module dev.jsync.core {
  requires org.slf4j;
  requires org.eclipse.jgit;

  exports dev.jsync.core;
  exports dev.jsync.core.store;
  exports dev.jsync.core.transport;
  exports dev.jsync.core.merge;
  exports dev.jsync.core.history;
  exports dev.jsync.core.disk;
  exports dev.jsync.core.internal to dev.jsync.bench;
}
