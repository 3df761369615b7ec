package dev.jsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.RelativePath;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KeysTest {

  @Property(tries = 2000)
  void pathKeysSortLikeRelativePaths(@ForAll("paths") String a, @ForAll("paths") String b) {
    Assume.that(RelativePath.isValid(a) && RelativePath.isValid(b));
    RelativePath pa = RelativePath.of(a);
    RelativePath pb = RelativePath.of(b);
    assertThat(Integer.signum(Arrays.compareUnsigned(Keys.path(pa), Keys.path(pb))))
        .isEqualTo(Integer.signum(pa.compareTo(pb)));
  }

  @Property(tries = 2000)
  void pathKeysRoundTripAndNeverHoldTheByteFF(@ForAll("paths") String raw) {
    Assume.that(RelativePath.isValid(raw));
    RelativePath path = RelativePath.of(raw);
    byte[] key = Keys.path(path);
    assertThat(Keys.path(key, 0, key.length)).isEqualTo(path);
    for (byte b : key) {
      assertThat(b).isNotEqualTo((byte) 0xFF);
    }
  }

  @Test
  void supplementaryCharactersSortAsUtf16NotAsUtf8() {
    RelativePath emoji = RelativePath.of("\ud83d\ude00");
    RelativePath fullwidthA = RelativePath.of("\uff21");
    assertThat(emoji).isLessThan(fullwidthA);
    assertThat(Arrays.compareUnsigned(Keys.path(emoji), Keys.path(fullwidthA))).isNegative();
    assertThat(Keys.path(emoji)).hasSize(6);
  }

  @Test
  void peerPrefixEndBoundsEveryPathOfThatPeer() {
    byte[] prefix = new byte[32];
    Arrays.fill(prefix, (byte) 0xFF);
    byte[] end = Keys.pathPrefixEnd(prefix);
    byte[] key = Keys.remote(dev.jsync.core.DeviceId.of(prefix), RelativePath.of("\uffff\uffff"));
    assertThat(Arrays.compareUnsigned(key, end)).isNegative();
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> units = Arbitraries.of(List.of("a", "b", "Z", "/", " ", ".", "-", "~", "\u007f", "\u0080",
        "\u00e9", "\u07ff", "\u0800", "\u65e5", "\ud7ff", "\ud83d\ude00", "\ud800\udc00", "\udbff\udfff",
        "\ue000", "\uff21", "\ufffd", "\uffff"));
    return Arbitraries.oneOf(
        units.list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l)),
        Arbitraries.strings().withCharRange(' ', '\uffff').ofMinLength(1).ofMaxLength(8));
  }
}
