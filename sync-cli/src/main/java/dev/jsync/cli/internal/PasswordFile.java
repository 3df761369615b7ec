package dev.jsync.cli.internal;

import dev.jsync.core.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The file named by {@code --password-file}: a plain file (not a link, a folder, a pipe or a
 * device) of at most {@value #MAX_BYTES} bytes of UTF-8, whose final line ending is not part of
 * the secret. What keeps the secret private is the file's own permissions, so jsync reads only the
 * file it was named, never one a link points to, and warns if others can read it. Stateless; reads
 * the file.
 */
final class PasswordFile {

  /** The most a password file may hold: a secret is one line; anything larger is the wrong file. */
  static final int MAX_BYTES = 4096;

  /** The secret, and a warning to log if the file is not private. */
  record Contents(String secret, Optional<String> warning) {
    @Override
    public String toString() {
      return "Contents[secret=(hidden), warning=" + warning + "]";
    }
  }

  private PasswordFile() {
  }

  /** @throws BadInvocation saying what is wrong with the file and why jsync will not read it */
  static Contents read(Path file) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw BadInvocation.usage("the password file " + file + " does not exist: create it or fix --password-file");
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
    if (attrs.isSymbolicLink()) {
      throw BadInvocation.usage("the password file " + file + " is a symbolic link: name the file it points to"
          + " instead (jsync does not follow links here, since the secret is kept private by the permissions of"
          + " the file itself)");
    }
    if (!attrs.isRegularFile()) {
      throw BadInvocation.usage("the password file " + file + " is not a plain file (a folder, pipe or device):"
          + " put the secret in a file of its own");
    }
    if (attrs.size() > MAX_BYTES) {
      throw tooLarge(file, attrs.size());
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MAX_BYTES + 1); // the file may have grown since its size was read
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
    if (bytes.length > MAX_BYTES) {
      throw tooLarge(file, bytes.length);
    }
    String text;
    try {
      // A strict decoder: a secret garbled by the wrong encoding would fail every handshake.
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw BadInvocation.usage("the password file " + file + " is not UTF-8 text");
    }
    // Editors end files with a newline; it is not part of the secret.
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return new Contents(text.substring(0, end), readableByOthers(file));
  }

  private static Optional<String> readableByOthers(Path file) {
    try {
      if (PrivateFiles.readableByOthers(file)) {
        return Optional.of("the password file " + file + " can be read by other users of this machine (mode "
            + PrivateFiles.mode(file) + "), and so can the secret: make it private with chmod 600");
      }
    } catch (IOException e) {
      // It was just read: a failure to read its mode now changes nothing about the secret.
    }
    return Optional.empty();
  }

  private static BadInvocation tooLarge(Path file, long size) {
    return BadInvocation.usage("the password file " + file + " holds " + size + " bytes, more than a secret needs"
        + " (at most " + MAX_BYTES + "): is it the right file?");
  }

  private static BadInvocation cannotRead(Path file, IOException e) {
    // The JDK's messages repeat the path; its reason alone is what the user needs.
    boolean denied = e instanceof java.nio.file.AccessDeniedException;
    String why = denied ? "permission denied"
        : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
        : e instanceof java.nio.file.FileSystemException ? e.getClass().getSimpleName()
        : String.valueOf(e.getMessage());
    return BadInvocation.usage("cannot read the password file " + file + " (" + why + "): "
        + (denied ? "make it readable by the user jsync runs as" : "check the path"));
  }
}
