package dev.jsync.bench.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures collected over repetitions: for each row the median of jSync's values, the median of
 * rsync's, and the median of the pairwise ratios (each repetition's jSync value over the rsync
 * value taken in the same repetition), printed as a Markdown table.
 */
final class Results {

  private record Row(String scenario, String label, String unit, List<Double> jsync, List<Double> rsync,
      boolean distribution) {}

  private final Map<String, Row> rows = new LinkedHashMap<>();

  void add(String scenario, String label, double jsync, double rsync, String unit) {
    Row r = rows.computeIfAbsent(label, k -> new Row(scenario, label, unit, new ArrayList<>(), new ArrayList<>(), false));
    r.jsync.add(jsync);
    r.rsync.add(rsync);
    System.out.printf(Locale.ROOT, "  %s %-45s jsync %10.3f %-5s rsync %10.3f%n", scenario, label, jsync, unit, rsync);
  }

  void addSingle(String scenario, String label, double value, String unit) {
    add(scenario, label, value, Double.NaN, unit);
  }

  void addDistribution(String scenario, String label, double[] jsync, double[] rsync, String unit) {
    Row r = new Row(scenario, label, unit, new ArrayList<>(), new ArrayList<>(), true);
    for (int i = 0; i < jsync.length; i++) {
      r.jsync.add(jsync[i]);
      r.rsync.add(rsync[i]);
    }
    rows.put(label, r);
    System.out.printf(Locale.ROOT, "  %s %-45s p50 %.1f p95 %.1f %s%n", scenario, label, percentile(r.jsync, 50),
        percentile(r.jsync, 95), unit);
  }

  String table() {
    StringBuilder b = new StringBuilder();
    b.append("| | scenario | jSync (median) | rsync (median) | jSync / rsync (median of pairs) | runs | target |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows.values()) {
      String target = EndToEnd.TARGETS.getOrDefault(r.scenario, "");
      if (r.distribution) {
        b.append(String.format(Locale.ROOT, "| %s | %s | p50 %.1f %s, p95 %.1f %s | p50 %.1f %s | %.3f | %d | %s |%n",
            r.scenario, r.label, percentile(r.jsync, 50), r.unit, percentile(r.jsync, 95), r.unit,
            percentile(r.rsync, 50), r.unit, ratio(r), r.jsync.size(), target));
      } else if (r.rsync.stream().allMatch(d -> d.isNaN())) {
        b.append(String.format(Locale.ROOT, "| %s | %s | %.3f %s | – | – | %d | %s |%n",
            r.scenario, r.label, percentile(r.jsync, 50), r.unit, r.jsync.size(), target));
      } else {
        b.append(String.format(Locale.ROOT, "| %s | %s | %.3f %s | %.3f %s | %.3f | %d | %s |%n",
            r.scenario, r.label, percentile(r.jsync, 50), r.unit, percentile(r.rsync, 50), r.unit, ratio(r),
            r.jsync.size(), target));
      }
    }
    return b.toString();
  }

  private static double ratio(Row r) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < r.jsync.size(); i++) {
      ratios.add(r.jsync.get(i) / r.rsync.get(i));
    }
    return percentile(ratios, 50);
  }

  static double percentile(List<Double> values, int p) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    // Nearest rank.
    int rank = (int) Math.ceil(p / 100.0 * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }

  @Override
  public String toString() {
    return Arrays.toString(rows.keySet().toArray());
  }
}
