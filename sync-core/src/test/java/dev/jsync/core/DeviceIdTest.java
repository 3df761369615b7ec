package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DeviceIdTest {

  @Property
  void textFormRoundTrips(@ForAll @Size(32) byte[] bytes) {
    DeviceId id = DeviceId.of(bytes);
    assertThat(id.toString()).hasSize(52).matches("[a-z2-7]+");
    assertThat(DeviceId.parse(id.toString())).isEqualTo(id);
    assertThat(DeviceId.parse(id.toString().toUpperCase())).isEqualTo(id);
    assertThat(id.shortId()).hasSize(DeviceId.SHORT_LENGTH).isEqualTo(id.toString().substring(0, 7));
  }

  @Test
  void theAdoptionIdIsFixedPerDeviceAndNoDevicesOwn() {
    DeviceId laptop = DeviceId.fromName("laptop");
    DeviceId desktop = DeviceId.fromName("desktop");
    assertThat(laptop.adoptionId()).isEqualTo(DeviceId.fromName("laptop").adoptionId());
    assertThat(laptop.adoptionId()).isNotEqualTo(laptop).isNotEqualTo(desktop.adoptionId());
    assertThat(laptop.adoptionId().adoptionId()).isNotEqualTo(laptop.adoptionId());
    // a counter bumped under the adoption id is not a change under the device's own id
    VersionVector v = VersionVector.empty().increment(laptop, 5).increment(laptop.adoptionId(), 6);
    assertThat(v.get(laptop)).isEqualTo(5);
    assertThat(v.compare(VersionVector.empty().increment(laptop, 5))).isEqualTo(Causality.AFTER);
  }

  @Test
  void rejectsMalformedText() {
    assertThatThrownBy(() -> DeviceId.parse("abc")).hasMessageContaining("want 52");
    assertThatThrownBy(() -> DeviceId.parse("1".repeat(52))).hasMessageContaining("bad character '1'");
    assertThatThrownBy(() -> DeviceId.of(new byte[31])).hasMessageContaining("32 bytes");
  }

  @Test
  void orderIsUnsignedBytes() {
    byte[] low = new byte[32];
    byte[] high = new byte[32];
    high[0] = (byte) 0xff;
    assertThat(DeviceId.of(low)).isLessThan(DeviceId.of(high));
  }
}
