package dev.jsync.core;

/**
 * Why a peer is not connected: a link that ended ({@link SyncEvent.PeerDisconnected}) or a
 * connection that never came up ({@link SyncEvent.PeerUnreachable}). The transport says which;
 * the text that comes with it has the details.
 */
public enum DisconnectReason {
  /** Nothing listens at the address (the connection was refused): jSync is not running there, or on another port. */
  REFUSED,
  /** The address did not answer, or its name does not resolve: the device is off or out of reach. */
  UNREACHABLE,
  /** The other side does not know the same secret (or a man in the middle is in the way). */
  AUTHENTICATION_FAILED,
  /** The other side speaks another protocol version: one of the two needs an upgrade. */
  OTHER_VERSION,
  /** An orderly close by either side (a device shutting down, or pausing its transport). */
  CLOSED,
  /** The connection broke or went silent (a network change, a sleeping laptop). */
  LOST,
  /** The other side sent something the protocol does not allow. */
  PROTOCOL_ERROR,
  /** Both devices dialed each other and this link gave way to the other one: nothing was lost. */
  REPLACED
}
