package dev.jsync.protocol;

/** A keep-alive: sent when a connection has been quiet for a while, so that both ends see traffic. */
public record Ping() implements Message {

  /** The only ping there is. */
  public static final Ping INSTANCE = new Ping();
}
