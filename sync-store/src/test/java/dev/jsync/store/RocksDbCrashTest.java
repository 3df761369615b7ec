package dev.jsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while it applies batches, at random moments, many times over
 * the same store; after every kill the store must reopen without error and hold a whole number
 * of batches, with its sequence and block indexes matching its records ({@link CrashScheme}).
 * Every fourth round kills the child at a random moment of its start-up instead, which may fall
 * inside RocksDB's open or recovery.
 */
class RocksDbCrashTest {

  private static final int KILLS = 30;

  @Test
  void survivesSigkillAtRandomMoments(@TempDir Path dir) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path state = dir.resolve(".jsync");
    Path stderr = dir.resolve("child-stderr.txt");
    long durable = 0;
    int interruptedWrites = 0;
    for (int round = 0; round < KILLS; round++) {
      Process child = ChildJvm.start(CrashWriter.class, stderr, state.toString());
      long atStart = -1;
      try {
        if (round % 4 == 3) {
          Thread.sleep(random.nextInt(400));
        } else {
          BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
          String ready = CompletableFuture.supplyAsync(() -> readLine(out)).get(20, TimeUnit.SECONDS);
          assertThat(ready).as("child said (stderr: %s)", Files.readString(stderr)).startsWith("ready ");
          atStart = Long.parseLong(ready.substring("ready ".length()));
          Thread.sleep(10 + random.nextInt(150));
        }
        child.destroyForcibly();
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      } finally {
        if (child.isAlive()) {
          child.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
      }

      long b;
      try (RocksDbIndexStore store = RocksDbIndexStore.open(state)) {
        b = CrashScheme.check(store);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("round " + round + " (seed " + seed + "): " + e.getMessage(), e);
      }
      // Every applied batch was synced before the next began, so a kill loses none of them.
      assertThat(b).as("round %d (seed %d)", round, seed).isGreaterThanOrEqualTo(Math.max(durable, atStart));
      if (atStart >= 0 && b > atStart) {
        interruptedWrites++;
      }
      durable = b;
    }
    System.out.printf("crash test: %d SIGKILLs, %d batches applied in all, %d kills landed mid-write, seed %d%n",
        KILLS, durable, interruptedWrites, seed);
    assertThat(interruptedWrites).as("rounds killed while writing").isGreaterThanOrEqualTo(KILLS / 4);
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
