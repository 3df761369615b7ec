package dev.jsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VersionVectorProperties {

  @Provide
  Arbitrary<VersionVector> vv() {
    return Gen.vectors();
  }

  @Property
  void compareIsReflexive(@ForAll("vv") VersionVector a) {
    assertThat(a.compare(a)).isEqualTo(Causality.EQUAL);
  }

  @Property
  void compareIsAntisymmetric(@ForAll("vv") VersionVector a, @ForAll("vv") VersionVector b) {
    assertThat(b.compare(a)).isEqualTo(a.compare(b).reversed());
    assertThat(a.compare(b) == Causality.EQUAL).isEqualTo(a.equals(b));
  }

  @Property
  void beforeIsTransitive(@ForAll("vv") VersionVector a, @ForAll("vv") VersionVector b, @ForAll("vv") VersionVector c) {
    if (a.compare(b) == Causality.BEFORE && b.compare(c) == Causality.BEFORE) {
      assertThat(a.compare(c)).isEqualTo(Causality.BEFORE);
    }
  }

  @Property
  void mergeIsCommutativeAssociativeIdempotent(
      @ForAll("vv") VersionVector a, @ForAll("vv") VersionVector b, @ForAll("vv") VersionVector c) {
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    assertThat(a.merge(a)).isEqualTo(a);
  }

  @Property
  void mergeIsTheLeastUpperBound(@ForAll("vv") VersionVector a, @ForAll("vv") VersionVector b, @ForAll("vv") VersionVector c) {
    VersionVector m = a.merge(b);
    assertThat(m.dominates(a)).isTrue();
    assertThat(m.dominates(b)).isTrue();
    if (c.dominates(a) && c.dominates(b)) {
      assertThat(c.dominates(m)).isTrue();
    }
  }

  @Property
  void incrementComesAfter(@ForAll("vv") VersionVector a) {
    for (DeviceId d : Gen.DEVICES) {
      assertThat(a.increment(d).compare(a)).isEqualTo(Causality.AFTER);
      assertThat(a.increment(d, 1_000).get(d)).isGreaterThanOrEqualTo(1_000);
    }
  }

  @Property
  void independentIncrementsAreConcurrent(@ForAll("vv") VersionVector base) {
    VersionVector x = base.increment(Gen.DEVICES.get(0));
    VersionVector y = base.increment(Gen.DEVICES.get(1));
    assertThat(x.compare(y)).isEqualTo(Causality.CONCURRENT);
  }
}
