package dev.jsync.cli.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --verbose} and {@code --quiet} to Logback, which {@link LogbackSetup} has set
 * up at INFO, with a few library loggers whose lines the CLI words itself at WARN. Called once, at
 * start-up, before the node runs. Only the CLI knows the logging backend; the libraries log through SLF4J.
 */
final class Logging {

  private Logging() {
  }

  enum Verbosity { QUIET, NORMAL, VERBOSE }

  static void apply(Verbosity v) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      return; // another SLF4J backend on the class path: its own configuration decides
    }
    switch (v) {
      case QUIET -> {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        context.getLogger("dev.jsync").setLevel(Level.WARN);
      }
      case VERBOSE -> {
        // Loggers that LogbackSetup quietened inherit again, so everything of jSync's shows.
        for (ch.qos.logback.classic.Logger l : context.getLoggerList()) {
          if (l.getName().startsWith("dev.jsync.")) {
            l.setLevel(null);
          }
        }
        context.getLogger("dev.jsync").setLevel(Level.DEBUG);
      }
      case NORMAL -> {
        // LogbackSetup's levels as they are.
      }
    }
  }
}
