/**
 * The one mapping between the generated protobuf classes and jSync's domain types, with every
 * check on what comes from the wire. Start at {@link dev.jsync.protocol.internal.EnvelopeMapping}.
 * Not API: only {@code dev.jsync.protocol} uses it.
 */
package dev.jsync.protocol.internal;
