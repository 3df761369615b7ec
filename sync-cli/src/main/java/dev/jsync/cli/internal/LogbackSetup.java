package dev.jsync.cli.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The CLI's logging set-up, in code rather than in a {@code logback.xml}: one appender to
 * standard error shared with the progress line ({@link ProgressConsoleAppender}), lines as
 * {@code HH:mm:ss LEVEL message} ({@link LineEncoder}), INFO for jSync, WARN for Netty and for
 * the network classes whose news the CLI words itself (listening, peer connected or gone; their
 * warnings still show). {@code --verbose} and {@code --quiet} change these levels at start-up
 * ({@link Logging}).
 *
 * <p>Why code: Logback's XML configuration loads an XML parser and some 600 classes, a few MiB
 * of class metadata that an always-on node would carry for nothing ({@code docs/benchmarks.md},
 * scenario F).
 *
 * <p>Found by Logback through {@link java.util.ServiceLoader}. It steps aside, so that Logback's
 * own search runs as usual, when a configuration file is named with
 * {@code -Dlogback.configurationFile=...} (the way to log differently, e.g. to a file) or when a
 * {@code logback-test.xml} is on the class path (tests).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogbackSetup extends ContextAwareBase implements Configurator {

  /** The loggers kept at WARN under the default verbosity. */
  static final String[] QUIETENED = {
      "io.netty",
      "dev.jsync.net.internal.NettyNode",
      "dev.jsync.net.internal.HelloHandler",
      "dev.jsync.net.internal.Connection",
  };

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (anotherConfigurationAsked(System.getProperty("logback.configurationFile"), LogbackSetup.class.getClassLoader())) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    install(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Whether Logback should read a configuration file instead of this set-up. */
  static boolean anotherConfigurationAsked(String configurationFileProperty, ClassLoader loader) {
    return configurationFileProperty != null || loader.getResource("logback-test.xml") != null;
  }

  /** Sets the CLI's appender and levels up in {@code context}. */
  static void install(LoggerContext context) {
    LineEncoder encoder = new LineEncoder();
    encoder.setContext(context);
    encoder.start();
    ProgressConsoleAppender appender = new ProgressConsoleAppender();
    appender.setContext(context);
    appender.setName("STDERR");
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
    for (String name : QUIETENED) {
      context.getLogger(name).setLevel(Level.WARN);
    }
  }
}
