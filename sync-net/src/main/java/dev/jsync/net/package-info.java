/**
 * The transport on Netty: TLS 1.3, shared-secret authentication, framing, back-pressure,
 * keep-alive and reconnects. Start at {@link dev.jsync.net.NettyTransport}, configured by a
 * {@link dev.jsync.net.NetConfig}; everything else lives in {@code dev.jsync.net.internal}.
 */
package dev.jsync.net;
