package dev.jsync.cli.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the shared secret: {@code -p}, else {@code --password-file}, else the environment
 * variable {@code JSYNC_PASSWORD}. Giving both {@code -p} and a file is a mistake, not a
 * precedence question. Stateless; reads the file if one is named.
 */
final class Secrets {

  static final String ENV = "JSYNC_PASSWORD";

  private Secrets() {
  }

  /** @throws BadInvocation if there is no secret, or it is empty, or the file cannot be read */
  static String resolve(String password, Path passwordFile, Map<String, String> env) {
    if (password != null && passwordFile != null) {
      throw BadInvocation.usage("both -p and --password-file given: give the secret once");
    }
    if (password != null) {
      return nonEmpty(password, "the secret given with -p is empty");
    }
    if (passwordFile != null) {
      return nonEmpty(read(passwordFile), "the password file " + passwordFile + " is empty: put the secret in it");
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null) {
      return nonEmpty(fromEnv, ENV + " is set but empty: set it to the shared secret");
    }
    throw BadInvocation.usage("no shared secret: set " + ENV + ", or use --password-file FILE"
        + " (or -p SECRET, which other users can see in the process list)");
  }

  private static String read(Path file) {
    String text;
    try {
      // A strict decoder: a secret garbled by the wrong encoding would fail every handshake.
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (NoSuchFileException e) {
      throw BadInvocation.usage("the password file " + file + " does not exist: create it or fix --password-file");
    } catch (CharacterCodingException e) {
      throw BadInvocation.usage("the password file " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw BadInvocation.usage("cannot read the password file " + file + " (" + e.getMessage()
          + "): check its permissions");
    }
    // Editors end files with a newline; it is not part of the secret.
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }

  private static String nonEmpty(String secret, String message) {
    if (secret.isEmpty()) {
      throw BadInvocation.usage(message);
    }
    return secret;
  }
}
