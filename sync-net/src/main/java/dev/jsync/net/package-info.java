/** The transport on Netty: TLS 1.3, shared-secret authentication, framing and reconnects. */
package dev.jsync.net;
