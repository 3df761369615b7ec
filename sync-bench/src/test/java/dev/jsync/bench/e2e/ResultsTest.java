package dev.jsync.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic: nearest-rank percentiles and ratios taken pair by pair. */
class ResultsTest {

  @Test
  void percentilesAreNearestRank() {
    List<Double> v = List.of(5.0, 1.0, 4.0, 2.0, 3.0);
    assertThat(Results.percentile(v, 50)).isEqualTo(3.0);
    assertThat(Results.percentile(v, 95)).isEqualTo(5.0);
    assertThat(Results.percentile(List.of(7.0, 9.0), 50)).isEqualTo(7.0);
    assertThat(Results.percentile(List.of(), 50)).isNaN();
  }

  @Test
  void ratiosArePairedPerRepetitionThenTheMedianTaken() {
    Results r = new Results();
    // jSync 2 s against rsync 1 s, then 10 s against 10 s: pairwise ratios 2.0 and 1.0.
    r.add("A", "vault", 2.0, 1.0, "s");
    r.add("A", "vault", 10.0, 10.0, "s");
    String table = r.table();
    assertThat(table).contains("| A | vault | 2.000 s | 1.000 s | 1.000 | 2 | ratio <= 1.0 |");
  }
}
