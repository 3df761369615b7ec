/** Internals of sync-core; not an API, may change in any release. */
package dev.jsync.core.internal;
