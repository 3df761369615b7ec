/**
 * Implementation details of {@code dev.jsync.core}; not an API. Start at {@link
 * dev.jsync.core.internal.IgnoreMatcher}, the compiled form of {@link dev.jsync.core.IgnoreRules}.
 */
package dev.jsync.core.internal;
