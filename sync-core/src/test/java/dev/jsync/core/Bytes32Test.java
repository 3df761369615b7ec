package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The 32-byte value under {@link DeviceId} and {@link Sha256}, seen through both. */
class Bytes32Test {

  @Property
  void equalBytesMakeEqualValuesOfTheSameKindOnly(@ForAll @Size(32) byte[] bytes) {
    assertThat(DeviceId.of(bytes)).isEqualTo(DeviceId.of(bytes)).hasSameHashCodeAs(DeviceId.of(bytes));
    assertThat(Sha256.fromBytes(bytes)).isEqualTo(Sha256.fromBytes(bytes)).hasSameHashCodeAs(Sha256.fromBytes(bytes));
    assertThat((Object) DeviceId.of(bytes)).isNotEqualTo(Sha256.fromBytes(bytes));
    assertThat(Sha256.fromBytes(bytes).toString()).isEqualTo(java.util.HexFormat.of().formatHex(bytes));
  }

  @Test
  void neitherTheInputNorTheOutputArrayCanChangeAValue() {
    byte[] bytes = new byte[32];
    DeviceId id = DeviceId.of(bytes);
    Sha256 digest = Sha256.fromBytes(bytes);
    bytes[0] = 1;
    assertThat(id.toBytes()[0]).isZero();
    assertThat(digest.toBytes()[0]).isZero();
    id.toBytes()[1] = 1;
    digest.toBytes()[1] = 1;
    assertThat(id).isEqualTo(DeviceId.of(new byte[32]));
    assertThat(digest).isEqualTo(Sha256.fromBytes(new byte[32]));
  }

  @Test
  void bothOrderByUnsignedBytesAndRejectOtherLengths() {
    byte[] high = new byte[32];
    high[0] = (byte) 0x80;
    assertThat(Sha256.fromBytes(new byte[32])).isLessThan(Sha256.fromBytes(high));
    assertThat(DeviceId.of(new byte[32])).isLessThan(DeviceId.of(high));
    assertThatThrownBy(() -> Sha256.fromBytes(new byte[33])).hasMessage("a SHA-256 digest is 32 bytes, got 33");
    assertThatThrownBy(() -> DeviceId.of(new byte[0])).hasMessage("a device id is 32 bytes, got 0");
    assertThatThrownBy(() -> Sha256.parse("00")).isInstanceOf(IllegalArgumentException.class);
  }
}
