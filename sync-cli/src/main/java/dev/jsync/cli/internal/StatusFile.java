package dev.jsync.cli.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.jsync.core.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * {@code <state folder>/status.json}: written by a running node, read by {@code jsync status},
 * which must not open the index the node holds locked. Written to a temp file (created new and
 * owner-only, never through a link) and renamed over the old one, so a reader sees the old or the
 * new status, never half of one. Not fsynced: it is rewritten within a second of every change,
 * and losing it to a power cut loses nothing.
 * Stateless; does file I/O.
 */
final class StatusFile {

  static final String FILE_NAME = "status.json";
  private static final String TEMP_NAME = "status.json.tmp";

  /** Jackson (jackson-jr) writes the status as indented text, one field a line, for people reading it. */
  private static final JSON JSON_OUT = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES)
      .with(new DefaultPrettyPrinter().withSeparators(
          Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
  /** Reads maps, lists, strings, numbers, booleans and null; a key given twice is refused. */
  private static final JSON JSON_IN = JSON.std.with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);

  private StatusFile() {
  }

  /**
   * JSON text as maps, lists, strings, Long or Double numbers, booleans and null (whole numbers
   * always as Long, whatever size Jackson read them as).
   *
   * @throws IllegalArgumentException if {@code text} is not JSON
   */
  static Object parseJson(String text) {
    try {
      return longs(JSON_IN.anyFrom(text));
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  private static Object longs(Object v) {
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof java.util.Map<?, ?> m) {
      java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, longs(x)));
      return out;
    }
    if (v instanceof java.util.List<?> l) {
      java.util.List<Object> out = new java.util.ArrayList<>();
      l.forEach(x -> out.add(longs(x)));
      return out;
    }
    return v;
  }

  /** {@code value} (maps, lists, strings, numbers, booleans, null) as indented JSON text ending in a newline. */
  static String json(Object value) {
    if (value instanceof java.util.List<?> l && l.isEmpty()) {
      return "[]\n"; // Jackson's pretty printer writes "[ ]"
    }
    try {
      return JSON_OUT.asString(value) + "\n";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void write(Path stateDir, StatusSnapshot snapshot) throws IOException {
    Path temp = stateDir.resolve(TEMP_NAME);
    ByteBuffer bytes = ByteBuffer.wrap((JSON_OUT.asString(snapshot.toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
    try (FileChannel out = createNew(temp)) {
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    }
    try {
      Files.move(temp, stateDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, stateDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Creates the temp file owner-only, as a new file, never through a link: whatever sits at its
   * name (a file left by a killed node, or a link someone placed there to make the node write
   * elsewhere) is removed first, which removes a link itself, not what it points to.
   */
  private static FileChannel createNew(Path temp) throws IOException {
    // CREATE_NEW alone already refuses to open through a link (O_EXCL); NOFOLLOW_LINKS says so too.
    Set<OpenOption> options = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
        LinkOption.NOFOLLOW_LINKS);
    try {
      return FileChannel.open(temp, options, PrivateFiles.file(temp));
    } catch (FileAlreadyExistsException e) {
      Files.delete(temp);
      return FileChannel.open(temp, options, PrivateFiles.file(temp));
    }
  }

  /**
   * The last status written in {@code stateDir}; empty if there is none.
   *
   * @throws IOException if it cannot be read or is not a status file this version understands
   */
  static Optional<StatusSnapshot> read(Path stateDir) throws IOException {
    String text;
    try {
      text = Files.readString(stateDir.resolve(FILE_NAME), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Object json;
    try {
      try (JsonParser parser = JSON_IN.createParser(text)) {
        json = JSON_IN.anyFrom(parser);
        if (parser.nextToken() != null) {
          throw new IOException("text after the end of the status");
        }
      }
    } catch (IOException e) {
      throw new IOException(stateDir.resolve(FILE_NAME) + ": not JSON: " + e.getMessage(), e);
    }
    try {
      return Optional.of(StatusSnapshot.fromJson(json));
    } catch (IllegalArgumentException e) {
      throw new IOException(stateDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
    }
  }
}
