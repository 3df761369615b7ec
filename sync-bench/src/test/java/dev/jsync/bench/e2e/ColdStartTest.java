package dev.jsync.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.bench.e2e.JsyncProcess.TimedLine;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColdStartTest {

  private static final long T0 = 1_000_000_000L;

  private static TimedLine at(double seconds, String text) {
    return new TimedLine(T0 + (long) (seconds * 1e9), text);
  }

  @Test
  void aNodesTimelineIsReadFromItsStartedLineAndWhenItsOtherLinesArrived() {
    ColdStart.Node node = new ColdStart.Node("a", List.of(
        at(0.9, "12:00:01 INFO  jsync 0.1.0: syncing /x as vm (abc)"),
        at(1.2, "12:00:01 INFO  listening on 127.0.0.1:7000; dialing 127.0.0.1:7001"),
        at(1.3, "12:00:01 INFO  started in 1.25 s (1.50 s CPU): JVM and command line 0.40 s (0.45 s CPU),"
            + " index 0.15 s (0.16 s CPU), loading the index and listening 0.70 s (0.89 s CPU)"),
        at(2.0, "12:00:02 INFO  connected to vm (def)"),
        at(4.5, "12:00:04 INFO  scanned /x in 3210 ms: 10,201 changes recorded")), T0, T0, 7.5);

    assertThat(node.phases()).containsOnlyKeys("JVM and command line", "index", "loading the index and listening");
    assertThat(node.phases().get("index")).containsExactly(0.15, 0.16);
    assertThat(node.at("listening on")).isEqualTo(0.2 + 1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(node.at("connected to")).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(node.at("never printed")).isNaN();
    assertThat(node.scanSeconds()).isEqualTo(3.21);
    assertThat(node.describe()).contains("index 0.15/0.16", "listening at 1.20 s", "connected at 2.00 s", "CPU 7.5 s");
  }

  @Test
  void aNodeThatPrintedNoStartedLineHasNoPhases() {
    ColdStart.Node node = new ColdStart.Node("b", List.of(at(1.0, "12:00:01 INFO  listening on 127.0.0.1:7001")), T0,
        T0, 1.0);
    assertThat(node.phases()).isEmpty();
    assertThat(node.scanSeconds()).isNaN();
    assertThat(node.describe()).contains("no start-up phases printed");
  }
}
