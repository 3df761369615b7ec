package dev.jsync.store;

import java.nio.file.Path;

/**
 * A child process for {@link RocksDbIndexStoreOpenTest}: opens the store in the state folder
 * given as its argument, prints {@code ready}, and holds it open until killed.
 */
public final class StateHolder {

  private StateHolder() {}

  public static void main(String[] args) throws InterruptedException {
    RocksDbIndexStore store = RocksDbIndexStore.open(Path.of(args[0]));
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
    store.close();
  }
}
