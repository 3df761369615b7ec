package dev.jsync.testkit.example;

import dev.jsync.core.ConflictResolver;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.NewestWinsResolver;

/**
 * An embedder's resolver (docs/testkit.md): in a conflict, the laptop's version keeps the
 * name; between two other devices, the default rules decide. The loser is kept as a conflict
 * copy either way: a resolver picks the name's owner, never whether an edit survives.
 */
final class LaptopAlwaysWins implements ConflictResolver {

  static final DeviceId LAPTOP = DeviceId.fromName("laptop");

  @Override
  public FileRecord winner(FileRecord a, FileRecord b) {
    boolean aLaptop = a.modifiedBy().equals(LAPTOP);
    boolean bLaptop = b.modifiedBy().equals(LAPTOP);
    if (aLaptop != bLaptop) {
      return aLaptop ? a : b;
    }
    return NewestWinsResolver.defaults().winner(a, b);
  }
}
