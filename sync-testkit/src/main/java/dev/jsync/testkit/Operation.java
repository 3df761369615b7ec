package dev.jsync.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One step of a simulation script: something a user does to a node's folder, or a fault.
 * {@link SimulatedCluster#apply(Operation)} carries it out; a {@link Scenario} is a list of
 * them. Nodes are named by their index in the cluster, so that a script stays valid when
 * jqwik shrinks it.
 *
 * <p>User operations that do not fit the folder at that moment (deleting a file that is not
 * there, writing below a path that is a file) are skipped, so every list of operations is a
 * valid script. Each applied user operation is followed by a scan of the paths it touched, as
 * a watcher event would trigger (none while the node is down: its restart scans everything).
 *
 * <p>{@link #toString()} prints the operation as a call of its factory method here, so that a
 * printed script can be pasted back into a test ({@code import static
 * dev.jsync.testkit.Operation.*}).
 */
public sealed interface Operation {

  /** Whether this is a fault (network or process) rather than something a user does. */
  default boolean isFault() {
    return false;
  }

  /**
   * Creates or overwrites a file with {@code size} bytes of content no other write produces
   * (it starts with a unique tag, so that every written version can be told apart).
   */
  record Write(int node, String path, int size) implements Operation {
    public Write {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "write(" + node + ", " + q(path) + ", " + size + ")";
    }
  }

  /** Appends {@code size} bytes of fresh content to an existing file. */
  record Append(int node, String path, int size) implements Operation {
    public Append {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "append(" + node + ", " + q(path) + ", " + size + ")";
    }
  }

  /**
   * Edits one line of a note, as a user does in an editor: line {@code line} (counted modulo the
   * file's lines) is replaced by a line no other edit produces, every other line stays. Where
   * there is no file yet it writes a new note of {@value SimulatedCluster#NOTE_LINES} such lines.
   * Two of these on different nodes, at lines at least two apart, are edits a merge of notes
   * keeps both of (docs/conflicts.md, "Merging notes").
   */
  record EditLine(int node, String path, int line) implements Operation {
    public EditLine {
      Objects.requireNonNull(path, "path");
      if (line < 0) {
        throw new IllegalArgumentException("line " + line);
      }
    }

    @Override
    public String toString() {
      return "editLine(" + node + ", " + q(path) + ", " + line + ")";
    }
  }

  /** Deletes a file. */
  record Delete(int node, String path) implements Operation {
    public Delete {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "delete(" + node + ", " + q(path) + ")";
    }
  }

  /** Renames a file, replacing any file at the target and creating missing folders. */
  record Rename(int node, String from, String to) implements Operation {
    public Rename {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    @Override
    public String toString() {
      return "rename(" + node + ", " + q(from) + ", " + q(to) + ")";
    }
  }

  /** Creates a folder and any missing parents. */
  record Mkdir(int node, String path) implements Operation {
    public Mkdir {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "mkdir(" + node + ", " + q(path) + ")";
    }
  }

  /** Removes an empty folder. */
  record Rmdir(int node, String path) implements Operation {
    public Rmdir {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "rmdir(" + node + ", " + q(path) + ")";
    }
  }

  /** Sets or clears a file's executable bit ({@code chmod +x} / {@code chmod -x}). */
  record Chmod(int node, String path, boolean executable) implements Operation {
    public Chmod {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "chmod(" + node + ", " + q(path) + ", " + executable + ")";
    }
  }

  /** Lets virtual time pass while the cluster runs. */
  record Wait(Duration duration) implements Operation {
    public Wait {
      if (duration.isNegative()) {
        throw new IllegalArgumentException("cannot wait " + duration);
      }
    }

    @Override
    public String toString() {
      return "sleep(" + duration.toMillis() + ")";
    }
  }

  /** Cuts the nodes in {@code side} off from all others until {@link Heal}. */
  record Partition(List<Integer> side) implements Operation {
    public Partition {
      side = List.copyOf(side);
    }

    @Override
    public boolean isFault() {
      return true;
    }

    @Override
    public String toString() {
      return "partition(" + side.toString().replace("[", "").replace("]", "") + ")";
    }
  }

  /** Ends every partition. Crashed nodes stay down. */
  record Heal() implements Operation {
    @Override
    public boolean isFault() {
      return true;
    }

    @Override
    public String toString() {
      return "heal()";
    }
  }

  /** Resets the connection between two nodes, if they have one; they reconnect after a back-off. */
  record ResetLink(int a, int b) implements Operation {
    @Override
    public boolean isFault() {
      return true;
    }

    @Override
    public String toString() {
      return "resetLink(" + a + ", " + b + ")";
    }
  }

  /**
   * A second connection between two nodes handshakes while their current one still delivers,
   * and replaces it ({@link SimulatedNetwork#rehandshake}); nothing if they have no connection.
   */
  record Rehandshake(int a, int b) implements Operation {
    @Override
    public boolean isFault() {
      return true;
    }

    @Override
    public String toString() {
      return "rehandshake(" + a + ", " + b + ")";
    }
  }

  /** The node's process dies at once: queued work, timers and connections are lost. */
  record Crash(int node) implements Operation {
    @Override
    public boolean isFault() {
      return true;
    }

    @Override
    public String toString() {
      return "crash(" + node + ")";
    }
  }

  /** A crashed node starts again from its store and its folder. */
  record Restart(int node) implements Operation {
    @Override
    public boolean isFault() {
      return true;
    }

    @Override
    public String toString() {
      return "restart(" + node + ")";
    }
  }

  static Write write(int node, String path, int size) {
    return new Write(node, path, size);
  }

  static Append append(int node, String path, int size) {
    return new Append(node, path, size);
  }

  static EditLine editLine(int node, String path, int line) {
    return new EditLine(node, path, line);
  }

  static Delete delete(int node, String path) {
    return new Delete(node, path);
  }

  static Rename rename(int node, String from, String to) {
    return new Rename(node, from, to);
  }

  static Mkdir mkdir(int node, String path) {
    return new Mkdir(node, path);
  }

  static Rmdir rmdir(int node, String path) {
    return new Rmdir(node, path);
  }

  static Chmod chmod(int node, String path, boolean executable) {
    return new Chmod(node, path, executable);
  }

  /** {@link Wait} for {@code millis} milliseconds of virtual time. */
  static Wait sleep(long millis) {
    return new Wait(Duration.ofMillis(millis));
  }

  static Partition partition(Integer... side) {
    return new Partition(List.of(side));
  }

  static Heal heal() {
    return new Heal();
  }

  static ResetLink resetLink(int a, int b) {
    return new ResetLink(a, b);
  }

  static Rehandshake rehandshake(int a, int b) {
    return new Rehandshake(a, b);
  }

  static Crash crash(int node) {
    return new Crash(node);
  }

  static Restart restart(int node) {
    return new Restart(node);
  }

  private static String q(String s) {
    return JavaLiterals.quote(s);
  }
}
