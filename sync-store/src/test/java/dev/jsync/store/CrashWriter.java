package dev.jsync.store;

import java.nio.file.Path;

/**
 * The child process of {@link RocksDbCrashTest}: opens the store in the state folder given as
 * its argument, prints {@code ready <batch>} with the number of the last batch it found, then
 * applies {@link CrashScheme} batches as fast as it can until it is killed.
 */
public final class CrashWriter {

  private CrashWriter() {}

  public static void main(String[] args) {
    RocksDbIndexStore store = RocksDbIndexStore.open(Path.of(args[0]));
    long b = store.metadata("batch").map(CrashScheme::decode).orElse(0L);
    System.out.println("ready " + b);
    System.out.flush();
    while (true) {
      b++;
      store.apply(CrashScheme.batch(b, store.lastSequence()));
    }
  }
}
