package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogbackSetupTest {

  @Test
  void setsTheCliLevelsAndOneAppenderToStandardError() {
    LoggerContext context = new LoggerContext();
    LogbackSetup.install(context);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(root.getAppender("STDERR")).isInstanceOf(ProgressConsoleAppender.class);
    assertThat(root.getAppender("STDERR").isStarted()).isTrue();
    assertThat(context.getLogger("io.netty").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.netty.handler.ssl.SslHandler").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("dev.jsync.net.internal.NettyNode").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("dev.jsync.core.internal.Engine").getEffectiveLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void verboseAndQuietStillApplyOnTopOfIt() {
    LoggerContext context = new LoggerContext();
    LogbackSetup.install(context);
    for (ch.qos.logback.classic.Logger l : context.getLoggerList()) {
      if (l.getName().startsWith("dev.jsync.")) {
        l.setLevel(null); // what Logging does for --verbose, on this context
      }
    }
    context.getLogger("dev.jsync").setLevel(Level.DEBUG);
    assertThat(context.getLogger("dev.jsync.net.internal.NettyNode").getEffectiveLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("io.netty").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void stepsAsideForANamedConfigurationFileOrATestConfiguration() throws Exception {
    ClassLoader bare = new URLClassLoader(new URL[0], null);
    assertThat(LogbackSetup.anotherConfigurationAsked(null, bare)).isFalse();
    assertThat(LogbackSetup.anotherConfigurationAsked("/etc/jsync/logback.xml", bare)).isTrue();
    // This module's test class path carries a logback-test.xml.
    assertThat(LogbackSetup.anotherConfigurationAsked(null, getClass().getClassLoader())).isTrue();
  }

  @Test
  void linesReadTimeLevelMessage() {
    LoggerContext context = new LoggerContext();
    ch.qos.logback.classic.Logger logger = context.getLogger("x");
    long when = LocalDateTime.of(2026, 11, 24, 7, 5, 9).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    LoggingEvent info = new LoggingEvent("fqcn", logger, Level.INFO, "peer {} connected", null, new Object[] {"laptop"});
    info.setTimeStamp(when);
    assertThat(new LineEncoder().format(info)).isEqualTo("07:05:09 INFO  peer laptop connected" + System.lineSeparator());
    LoggingEvent warn = new LoggingEvent("fqcn", logger, Level.WARN, "disk full", new java.io.IOException("no space"), null);
    warn.setTimeStamp(when);
    String text = new LineEncoder().format(warn);
    assertThat(text).startsWith("07:05:09 WARN  disk full" + System.lineSeparator() + "java.io.IOException: no space");
    assertThat(text).contains("\tat dev.jsync.cli.internal.LogbackSetupTest");
  }
}
