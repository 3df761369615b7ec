package dev.jsync.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jsync} command. */
@Command(
    name = "jsync",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Keeps a folder identical across devices, peer to peer.")
public final class Main implements Callable<Integer> {

  /** Exit code of a run that could not start because a feature is missing. */
  static final int EXIT_NOT_IMPLEMENTED = 3;

  @Override
  public Integer call() {
    System.err.println("jsync: syncing is not implemented yet in this build (the CLI lands with issue #7).");
    return EXIT_NOT_IMPLEMENTED;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** Reads the version from the jar manifest, falling back to "development". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"jsync " + (v == null ? "development build" : v)};
    }
  }
}
