/**
 * Version history: what peers' changes replaced or removed on this device, kept so that it can
 * be restored. Start at {@link dev.jsync.core.history.VersionStore}; the engine calls it through
 * {@link dev.jsync.core.history.VersionKeeper}. See docs/history.md.
 */
package dev.jsync.core.history;
