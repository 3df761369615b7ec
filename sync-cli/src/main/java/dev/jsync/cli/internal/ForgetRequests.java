package dev.jsync.cli.internal;

import dev.jsync.core.DeviceId;
import dev.jsync.core.PrivateFiles;
import dev.jsync.core.SyncNode;
import java.io.IOException;
import java.io.InputStream;
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
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@code jsync forget} asks a running node to forget a device: the node holds its index
 * locked, so the command cannot change it itself. Through two files in the state folder, which
 * only the folder's owner can write (the same trust as the index itself):
 *
 * <pre>
 *   forget.request   "&lt;token&gt; &lt;device id&gt;\n"          written by the command
 *   forget.reply     "&lt;token&gt; &lt;outcome&gt; [detail]\n"   written by the node
 *                    outcome: ok | connected | unknown | failed
 * </pre>
 *
 * Each is written to a temp file (created new, owner-only, never through a link) and renamed
 * into place. The node looks for a request at each status tick (a quarter of a second while
 * busy, a second while idle: one file look-up), carries it out, removes it and replies; the
 * command waits for the reply with its token and removes it. A request is at most
 * {@value #MAX_BYTES} bytes; anything else in the file is answered {@code failed}.
 */
final class ForgetRequests {

  private static final Logger log = LoggerFactory.getLogger(ForgetRequests.class);
  static final String REQUEST = "forget.request";
  static final String REPLY = "forget.reply";
  static final int MAX_BYTES = 200;
  /** How long the node waits for its control thread to carry a request out. */
  private static final Duration CARRY_OUT = Duration.ofSeconds(10);
  /** A request older than this was left by a command that is gone. */
  private static final Duration STALE = Duration.ofSeconds(30);

  /** What the node answered. */
  record Reply(String outcome, String detail) {
  }

  private ForgetRequests() {
  }

  // ---------------------------------------------------------------- the command's side

  /**
   * Asks the node running on {@code stateDir} to forget {@code peer} and waits up to
   * {@code patience} for its reply.
   *
   * @return the reply, or empty if none came in time (the request is withdrawn then)
   * @throws FileAlreadyExistsException if another request waits
   */
  static Optional<Reply> ask(Path stateDir, DeviceId peer, Duration patience) throws IOException, InterruptedException {
    String token = Long.toHexString(new java.security.SecureRandom().nextLong());
    Path request = stateDir.resolve(REQUEST);
    Path reply = stateDir.resolve(REPLY);
    Files.deleteIfExists(reply); // an unread reply to an earlier, abandoned request
    Path temp = stateDir.resolve(REQUEST + ".tmp");
    try {
      // Another command's request waits (one a killed command left goes once it is stale).
      java.nio.file.attribute.FileTime at = Files.getLastModifiedTime(request, LinkOption.NOFOLLOW_LINKS);
      if (at.toInstant().isAfter(java.time.Instant.now().minus(STALE))) {
        throw new FileAlreadyExistsException(request.toString());
      }
      Files.delete(request);
    } catch (NoSuchFileException e) {
      // none waits
    }
    write(temp, token + " " + peer + "\n");
    try {
      Files.move(temp, request, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, request);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(100);
      Optional<String> text = read(reply);
      if (text.isPresent() && text.get().startsWith(token + " ")) {
        Files.deleteIfExists(reply);
        String[] parts = text.get().strip().split(" ", 3);
        return Optional.of(new Reply(parts.length > 1 ? parts[1] : "failed", parts.length > 2 ? parts[2] : ""));
      }
    }
    Files.deleteIfExists(request);
    return Optional.empty();
  }

  // ---------------------------------------------------------------- the node's side

  /** Carries out a waiting request, if there is one. Called on the status ticker's thread. */
  static void serve(Path stateDir, SyncNode node) {
    Path request = stateDir.resolve(REQUEST);
    if (!Files.exists(request, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Optional<String> text;
    try {
      text = read(request);
    } catch (IOException e) {
      log.warn("cannot read {} (a link, or not readable): {}; removed unread", request, e.toString());
      text = Optional.empty();
    }
    try {
      Files.deleteIfExists(request); // a link itself, never what it points to
    } catch (IOException e) {
      log.debug("cannot remove {}: {}", request, e.toString());
    }
    if (text.isEmpty()) {
      return;
    }
    String[] parts = text.get().strip().split(" ");
    String token = parts.length == 2 && parts[0].matches("[0-9a-f]{1,16}") ? parts[0] : "0";
    String answer;
    try {
      if (parts.length != 2 || token.equals("0")) {
        throw new IllegalArgumentException("not a forget request");
      }
      DeviceId peer = DeviceId.parse(parts[1]);
      node.forget(peer).toCompletableFuture().get(CARRY_OUT.toMillis(), TimeUnit.MILLISECONDS);
      log.info("forgot device {} as jsync forget asked: its records are gone from the index", peer.shortId());
      answer = "ok";
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      answer = (c instanceof IllegalStateException ? "connected " : c instanceof NoSuchElementException ? "unknown "
          : "failed ") + oneLine(c.getMessage());
    } catch (TimeoutException e) {
      answer = "failed the node did not carry it out within " + CARRY_OUT.toSeconds() + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      answer = "failed " + oneLine(e.getMessage());
    }
    try {
      Path temp = stateDir.resolve(REPLY + ".tmp");
      write(temp, token + " " + answer + "\n");
      Files.move(temp, stateDir.resolve(REPLY), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.warn("cannot answer jsync forget in {}: {}", stateDir, e.getMessage());
    }
  }

  private static String oneLine(String s) {
    return String.valueOf(s).replaceAll("\\s+", " ");
  }

  // ---------------------------------------------------------------- files

  /** Up to {@link #MAX_BYTES} of {@code file}, never through a link; empty if it is not there. */
  private static Optional<String> read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Writes {@code text} to a new owner-only file at {@code temp}, removing whatever was at its name first. */
  private static void write(Path temp, String text) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS);
    Files.deleteIfExists(temp);
    try (FileChannel out = FileChannel.open(temp, options, PrivateFiles.file(temp))) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    }
  }
}
