package dev.jsync.cli.internal;

import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code jsync secret}: prints a new random shared secret of {@value #BITS} bits, as six groups of
 * five characters from a 32-letter alphabet without look-alikes (no 0/o, 1/l), easy to type on
 * another device. Touches nothing.
 */
@Command(
    name = "secret",
    mixinStandardHelpOptions = true,
    versionProvider = JsyncCommand.VersionProvider.class,
    usageHelpAutoWidth = true,
    description = {
        "Prints a new random shared secret (" + SecretCommand.BITS + " bits) to give every device of a cluster.",
        "Store it, for example, in a file readable by you only and pass --password-file."},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  printed",
        "  2  bad command line"})
final class SecretCommand implements Callable<Integer> {

  static final String ALPHABET = "23456789abcdefghijkmnpqrstuvwxyz";
  static final int GROUPS = 6;
  static final int GROUP_LENGTH = 5;
  /** 30 characters of 5 bits each. */
  static final int BITS = GROUPS * GROUP_LENGTH * 5;

  private static final SecureRandom RANDOM = new SecureRandom();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(generate(RANDOM));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  static String generate(SecureRandom random) {
    StringBuilder b = new StringBuilder();
    for (int g = 0; g < GROUPS; g++) {
      if (g > 0) {
        b.append('-');
      }
      for (int i = 0; i < GROUP_LENGTH; i++) {
        b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return b.toString();
  }
}
