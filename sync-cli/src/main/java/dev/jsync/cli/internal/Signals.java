package dev.jsync.cli.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into an orderly stop that ends with exit code 0. Left to the
 * JVM, those signals run the shutdown hooks and exit with 143 or 130, which service managers
 * count as failures. A second signal while stopping ends the process at once.
 *
 * <p>Uses {@link Signal} from the JDK's {@code jdk.unsupported} module, which JEP 260 keeps
 * exported for exactly this until the platform has a replacement: Java SE has no other way to
 * choose the exit code of a process stopped by a signal (a shutdown hook runs, but the JVM still
 * exits with 128 + the signal's number). Where a signal cannot be handled (the JVM or the OS
 * reserves it, as with {@code -Xrs}), the JVM's default stays and the shutdown hook still closes
 * everything, only with the JVM's exit code.
 */
final class Signals {

  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {
  }

  /** Calls {@code stop} (once, on a signal-handling thread) on the first SIGTERM or SIGINT. */
  static void onStop(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), signal -> {
          if (stopping.compareAndSet(false, true)) {
            log.info("stopping (SIG{})", name);
            stop.run();
          } else {
            log.warn("stopping now, without waiting (second SIG{})", name);
            Runtime.getRuntime().halt(ExitCodes.FAILED);
          }
        });
      } catch (IllegalArgumentException e) {
        log.debug("cannot handle SIG{} here: {}", name, e.toString());
      }
    }
  }
}
