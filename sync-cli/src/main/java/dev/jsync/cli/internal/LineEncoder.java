package dev.jsync.cli.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Encodes a log event as one line, {@code HH:mm:ss LEVEL message}, the time in the system's
 * zone and the level padded to five characters, followed by the stack trace of an attached
 * exception. The same layout as the pattern {@code %d{HH:mm:ss} %-5level %msg%n}, without
 * Logback's pattern parser. Bytes in the platform's charset, as the console expects.
 * Thread-safe.
 */
final class LineEncoder extends EncoderBase<ILoggingEvent> {

  private final ZoneId zone = ZoneId.systemDefault();
  private final Charset charset = Charset.defaultCharset();

  @Override
  public byte[] encode(ILoggingEvent event) {
    return format(event).getBytes(charset);
  }

  String format(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(96);
    LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), zone);
    twoDigits(line, t.getHour()).append(':');
    twoDigits(line, t.getMinute()).append(':');
    twoDigits(line, t.getSecond()).append(' ');
    String level = event.getLevel().toString();
    line.append(level);
    for (int i = level.length(); i < 5; i++) {
      line.append(' ');
    }
    line.append(' ').append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown));
    }
    return line.toString();
  }

  private static StringBuilder twoDigits(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
