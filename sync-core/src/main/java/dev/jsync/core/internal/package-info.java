/**
 * Internals of sync-core: the engine ({@link dev.jsync.core.internal.Engine}), scanner, puller
 * and the ignore-pattern matcher. Not an API; may change in any release. The module exports
 * this package to sync-bench alone (see {@code module-info.java}).
 */
package dev.jsync.core.internal;
