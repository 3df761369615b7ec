package dev.jsync.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.BeforeContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Makes a Netty {@code LEAK} report fail the tests of a module that registers it (sync-net and
 * sync-cli, in their test resources: {@code META-INF/services} files for JUnit Jupiter's
 * {@code Extension} and jqwik's {@code LifecycleHook}, and extension autodetection switched on
 * in {@code junit-platform.properties}). Netty's leak detector
 * (paranoid in tests: every buffer tracked) logs an error when a buffer that was never released
 * is garbage-collected; this collects those lines from the {@code io.netty} loggers and, after
 * every test class, forces a collection, makes the detectors look at what was collected, and
 * fails the class if anything leaked. Netty and Logback must be on the test class path of a
 * module that registers it (they are optional dependencies of this kit).
 *
 * <p>A leak shows up when the buffer is collected, which may be after the class that leaked it;
 * the collection forced at the end of each class keeps that rare.
 */
public final class NettyLeaks implements BeforeAllCallback, AfterAllCallback, BeforeContainerHook, AfterContainerHook {

  private static final List<String> REPORTS = new ArrayList<>();
  private static final Appender APPENDER = new Appender();

  static {
    APPENDER.setName("netty-leaks");
    attach();
  }

  /**
   * Attaches the collecting appender to the {@code io.netty} loggers unless it is there and
   * running: a test that resets Logback's configuration (as the command line's own setup does)
   * detaches and stops it.
   */
  private static synchronized void attach() {
    Logger netty = (Logger) LoggerFactory.getLogger("io.netty");
    if (!APPENDER.isStarted()) {
      APPENDER.start();
    }
    if (netty.getAppender(APPENDER.getName()) != APPENDER) {
      netty.addAppender(APPENDER);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    attach();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context.getDisplayName());
  }

  @Override
  public void beforeContainer(ContainerLifecycleContext context) {
    attach();
  }

  @Override
  public void afterContainer(ContainerLifecycleContext context) {
    check(context.label());
  }

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public boolean appliesTo(Optional<AnnotatedElement> element) {
    return element.map(e -> e instanceof Class<?>).orElse(false);
  }

  /** Fails if a leak was reported since the last check; forgets the reports either way. */
  public static void check(String where) {
    List<String> leaks = collect();
    if (!leaks.isEmpty()) {
      throw new AssertionError(leaks.size() + " Netty LEAK report(s) after " + where + ":\n" + String.join("\n", leaks));
    }
  }

  /**
   * Collects garbage, lets the leak detectors see it (they look at collected buffers whenever a
   * new one is allocated), and returns and forgets the reports made since the last call.
   */
  public static List<String> collect() {
    attach();
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (ByteBuf b : List.of(PooledByteBufAllocator.DEFAULT.directBuffer(1), PooledByteBufAllocator.DEFAULT.heapBuffer(1),
          UnpooledByteBufAllocator.DEFAULT.directBuffer(1), UnpooledByteBufAllocator.DEFAULT.heapBuffer(1))) {
        b.release();
      }
    }
    synchronized (REPORTS) {
      List<String> out = List.copyOf(REPORTS);
      REPORTS.clear();
      return out;
    }
  }

  private static final class Appender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.ERROR) && event.getFormattedMessage().contains("LEAK:")) {
        synchronized (REPORTS) {
          REPORTS.add(event.getFormattedMessage());
        }
      }
    }
  }
}
