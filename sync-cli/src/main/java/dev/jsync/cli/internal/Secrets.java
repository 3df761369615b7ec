package dev.jsync.cli.internal;

import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Finds the shared secret: {@code -p}, else {@code --password-file}, else the environment
 * variable {@code JSYNC_PASSWORD}. Giving both {@code -p} and a file is a mistake, not a
 * precedence question. Stateless; reads the file if one is named ({@link PasswordFile}: what it
 * must be), and logs a warning if other users can read it.
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
    PasswordFile.Contents contents = PasswordFile.read(file);
    contents.warning().ifPresent(w -> LoggerFactory.getLogger(Secrets.class).warn("{}", w));
    return contents.secret();
  }

  private static String nonEmpty(String secret, String message) {
    if (secret.isEmpty()) {
      throw BadInvocation.usage(message);
    }
    return secret;
  }
}
