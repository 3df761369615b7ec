/**
 * jSync's core: the model ({@link dev.jsync.core.RelativePath}, version vectors, file records),
 * the ignore rules ({@link dev.jsync.core.IgnoreRules}), the reconciliation rules and the sync
 * engine. Pure Java with no network or database code of its own; everything outside is reached
 * through interfaces defined here.
 */
package dev.jsync.core;
