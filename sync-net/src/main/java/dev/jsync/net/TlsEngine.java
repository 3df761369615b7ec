package dev.jsync.net;

/**
 * Which TLS implementation carries a {@link NettyTransport}'s connections. Both speak the same
 * TLS 1.3 and the same authentication, so nodes with different engines talk to each other.
 */
public enum TlsEngine {
  /**
   * OpenSSL (BoringSSL) when {@code netty-tcnative} is on the class path and loads on this
   * platform, the JDK's otherwise. The {@code jsync} command ships BoringSSL for Linux (x86-64,
   * ARM64), macOS and Windows; a library user gets it by adding
   * {@code io.netty:netty-tcnative-boringssl-static}.
   */
  AUTO,
  /** The JDK's own TLS ({@code SSLEngine}), always available. */
  JDK,
  /**
   * OpenSSL through {@code netty-tcnative}; starting the transport fails if it is not
   * available. Its AES-GCM runs at the processor's full speed from the first byte, where the
   * JDK's needs the JIT's C2 compiler to have compiled it first.
   */
  OPENSSL
}
