package dev.jsync.net;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Collects the formatted WARN+ lines of the jSync net loggers while open. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.jsync.net");

  public LogCapture() {
    setName("capture");
    start();
    logger.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      lines.add(event.getFormattedMessage());
    }
  }

  /** Lines containing every one of {@code parts}. */
  public List<String> matching(String... parts) {
    return lines.stream().filter(l -> {
      for (String p : parts) {
        if (!l.contains(p)) {
          return false;
        }
      }
      return true;
    }).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    stop();
  }
}
