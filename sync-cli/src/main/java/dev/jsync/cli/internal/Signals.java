package dev.jsync.cli.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into an orderly stop that ends with exit code 0. Left to the
 * JVM, those signals run the shutdown hooks and exit with 143 or 130, which service managers
 * count as failures. A second signal while stopping ends the process at once.
 *
 * <p>Uses {@code sun.misc.Signal} from module {@code jdk.unsupported}, present in every OpenJDK
 * build, reflectively so that the build carries no internal-API warning. Where a signal cannot
 * be handled, the JVM's default stays and the shutdown hook still closes everything, only with
 * the JVM's exit code.
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
        handle(name, () -> {
          if (stopping.compareAndSet(false, true)) {
            log.info("stopping (SIG{})", name);
            stop.run();
          } else {
            log.warn("stopping now, without waiting (second SIG{})", name);
            Runtime.getRuntime().halt(ExitCodes.FAILED);
          }
        });
      } catch (ReflectiveOperationException | RuntimeException e) {
        log.debug("cannot handle SIG{} here: {}", name, e.toString());
      }
    }
  }

  /** {@code Signal.handle(new Signal(name), signal -> action.run())}, without naming the classes. */
  private static void handle(String name, Runnable action) throws ReflectiveOperationException {
    Class<?> signalClass = Class.forName("sun.misc.Signal");
    Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
    Constructor<?> newSignal = signalClass.getConstructor(String.class);
    Method handleMethod = signalClass.getMethod("handle", signalClass, handlerClass);
    Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
        (proxy, method, args) -> {
          if (method.getName().equals("handle")) {
            action.run();
            return null;
          }
          // Object's methods, should anything ask.
          return switch (method.getName()) {
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> "SignalHandler[" + name + "]";
          };
        });
    try {
      handleMethod.invoke(null, newSignal.newInstance(name), handler);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // e.g. IllegalArgumentException: the OS or the JVM reserves this signal
      }
      throw e;
    }
  }
}
