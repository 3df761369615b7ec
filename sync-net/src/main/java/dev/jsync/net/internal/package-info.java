/**
 * The machinery behind {@link dev.jsync.net.NettyTransport}. Read {@link
 * dev.jsync.net.internal.PeerChannelInitializer} first: it lists every handler of a connection in
 * order; {@link dev.jsync.net.internal.AuthHandler} is the secret handshake. Not API.
 */
package dev.jsync.net.internal;
