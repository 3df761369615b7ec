package dev.jsync.net.internal;

/** Which end of a connection this node is: the one that dialed (TLS client) or the one that accepted. */
enum Role {
  DIALER('D'),
  LISTENER('L');

  /** The byte that names this role in J-PAKE participant ids and key confirmations. */
  final byte tag;

  Role(char tag) {
    this.tag = (byte) tag;
  }

  Role other() {
    return this == DIALER ? LISTENER : DIALER;
  }
}
