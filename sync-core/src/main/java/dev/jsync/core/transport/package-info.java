/**
 * How the engine talks to peers: a {@link dev.jsync.core.transport.Transport} hands it
 * authenticated {@link dev.jsync.core.transport.PeerLink}s and reports events to its
 * {@link dev.jsync.core.transport.TransportHandler}.
 */
package dev.jsync.core.transport;
