package dev.jsync.testkit.sim;

import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets {@code -Djsync.sim.tries=N} override a simulation property's tries, and reports how
 * many scenarios ran and how fast (and every 1,000, for a long run that may be stopped).
 */
public final class SimulationBudget implements AroundPropertyHook {

  static final String TRIES = "jsync.sim.tries";
  private static final AtomicLong RUNS = new AtomicLong();

  static void count() {
    long n = RUNS.incrementAndGet();
    if (n % 1_000 == 0) {
      // A long run may be stopped before it ends: say how far it got.
      System.out.printf("%,d schedules so far%n", n);
    }
  }

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
    String tries = System.getProperty(TRIES);
    if (tries != null && !tries.isBlank()) {
      context.attributes().setTries(Integer.parseInt(tries.trim()));
    }
    long before = RUNS.get();
    long t0 = System.nanoTime();
    PropertyExecutionResult result = property.execute();
    double seconds = (System.nanoTime() - t0) / 1e9;
    long runs = RUNS.get() - before;
    System.out.printf("%s: %d schedules in %.1f s (%.0f schedules/s)%n", context.label(), runs, seconds,
        runs / Math.max(seconds, 1e-9));
    return result;
  }
}
