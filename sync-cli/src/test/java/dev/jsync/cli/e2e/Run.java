package dev.jsync.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One short jsync invocation run to completion: its exit code and what it printed. */
record Run(int exitCode, String out, String err) {

  /** Runs jsync with {@code args}; {@code env} is added to the inherited environment, a null value removes a variable. */
  static Run of(Path workDir, Map<String, String> env, String... args) {
    try {
      Path out = Files.createTempFile(workDir, "out", ".txt");
      Path err = Files.createTempFile(workDir, "err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(Jsync.command(List.of(args)))
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      env.forEach((k, v) -> {
        if (v == null) {
          pb.environment().remove(k);
        } else {
          pb.environment().put(k, v);
        }
      });
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("jsync " + String.join(" ", args) + " did not finish within 60 s");
      }
      Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
