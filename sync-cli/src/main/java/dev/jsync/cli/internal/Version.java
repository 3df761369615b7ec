package dev.jsync.cli.internal;

/** This build's version, from the jar manifest ("development build" when run from classes). Stateless. */
final class Version {

  private Version() {
  }

  static String text() {
    String v = Version.class.getPackage().getImplementationVersion();
    return "jsync " + (v == null ? "development build" : v);
  }
}
