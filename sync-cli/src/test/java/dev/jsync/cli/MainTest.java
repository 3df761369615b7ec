package dev.jsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  @Test
  void versionPrintsAndExitsZero() {
    StringWriter out = new StringWriter();
    CommandLine cmd = new CommandLine(new Main()).setOut(new PrintWriter(out));
    assertThat(cmd.execute("--version")).isZero();
    assertThat(out.toString()).startsWith("jsync ");
  }

  @Test
  void unknownFlagIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new Main()).setErr(new PrintWriter(err));
    assertThat(cmd.execute("--no-such-flag")).isEqualTo(2);
    assertThat(err.toString()).contains("--no-such-flag");
  }
}
