package dev.jsync.protocol;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded damage to byte strings: flips, overwrites, truncation, insertion, duplication. */
final class Mutations {

  private Mutations() {
  }

  static byte[] mutate(byte[] in, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] out = in.clone();
    int steps = 1 + r.nextInt(3);
    for (int s = 0; s < steps; s++) {
      int kind = r.nextInt(5);
      if (out.length == 0) {
        kind = 3;
      }
      switch (kind) {
        case 0 -> out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
        case 1 -> out[r.nextInt(out.length)] = (byte) r.nextInt(256);
        case 2 -> out = Arrays.copyOf(out, r.nextInt(out.length));
        case 3 -> {
          int at = r.nextInt(out.length + 1);
          byte[] grown = new byte[out.length + 1];
          System.arraycopy(out, 0, grown, 0, at);
          grown[at] = (byte) r.nextInt(256);
          System.arraycopy(out, at, grown, at + 1, out.length - at);
          out = grown;
        }
        default -> {
          int from = r.nextInt(out.length);
          int len = 1 + r.nextInt(Math.min(16, out.length - from));
          byte[] grown = Arrays.copyOf(out, out.length + len);
          System.arraycopy(out, from, grown, out.length, len);
          out = grown;
        }
      }
    }
    return out;
  }
}
