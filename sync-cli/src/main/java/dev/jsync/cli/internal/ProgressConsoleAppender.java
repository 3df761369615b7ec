package dev.jsync.cli.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;

/**
 * The Logback appender the CLI logs through ({@link LogbackSetup}): writes each event, encoded by the
 * given encoder, through {@link ProgressConsole}, so log lines and the progress line never
 * overwrite each other. Thread-safe (the console serialises writes).
 */
public final class ProgressConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private Encoder<ILoggingEvent> encoder;

  /** Sets the encoder; also what a {@code logback.xml} naming this appender calls for {@code <encoder>}. */
  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder set for appender " + getName());
      return;
    }
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    ProgressConsole.stderr().log(encoder.encode(event));
  }
}
