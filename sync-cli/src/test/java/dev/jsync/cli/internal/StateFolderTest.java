package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The state folder as another user of the machine could meet it, and the settings' text. */
class StateFolderTest {

  @TempDir
  Path dir;

  @Test
  void aNewStateFolderIsOwnerOnly() throws Exception {
    Path state = dir.resolve("Notes/.jsync");
    Files.createDirectories(state.getParent());
    StateFolder.prepare(state);
    assertThat(mode(state)).isEqualTo("rwx------");
  }

  @Test
  void anOpenStateFolderIsNarrowedAtStartFilesIncluded() throws Exception {
    Path state = Files.createDirectories(dir.resolve(".jsync/index"));
    Path status = Files.writeString(state.getParent().resolve("status.json"), "{}");
    Path sst = Files.writeString(state.resolve("000001.sst"), "rows");
    Path key = Files.writeString(state.getParent().resolve(StateFolder.KEY_FILE), "key");
    set(state.getParent(), "rwxr-xr-x");
    set(state, "rwxr-xr-x");
    set(status, "rw-r--r--");
    set(sst, "rw-r--r--");
    set(key, "rw--w----"); // group-writable but not readable: narrowed like the rest

    List<String> warnings = warningsWhile(() -> StateFolder.prepare(state.getParent()));

    assertThat(mode(state.getParent())).isEqualTo("rwx------");
    assertThat(mode(state)).isEqualTo("rwx------");
    assertThat(mode(status)).isEqualTo("rw-------");
    assertThat(mode(sst)).isEqualTo("rw-------");
    assertThat(mode(key)).isEqualTo("rw-------");
    assertThat(warnings).singleElement().asString()
        .contains("the state folder " + state.getParent() + " was open to other users; made it and its files owner-only");
    // Private now: the next start has nothing to say.
    assertThat(warningsWhile(() -> StateFolder.prepare(state.getParent()))).isEmpty();
  }

  @Test
  void onlyWhatJsyncKeepsIsNarrowedNotWhateverElseAStateDirHolds() throws Exception {
    // --state-dir ~ by mistake: the user's own files there keep their modes.
    Path home = Files.createDirectories(dir.resolve("home"));
    Path notes = Files.createDirectories(home.resolve("public_html"));
    Path page = Files.writeString(notes.resolve("index.html"), "<p>hi</p>");
    Path status = Files.writeString(home.resolve("status.json"), "{}");
    set(home, "rwxr-xr-x");
    set(notes, "rwxr-xr-x");
    set(page, "rw-r--r--");
    set(status, "rw-r--r--");

    StateFolder.prepare(home);

    assertThat(mode(home)).isEqualTo("rwx------");
    assertThat(mode(status)).isEqualTo("rw-------");
    assertThat(mode(notes)).isEqualTo("rwxr-xr-x");
    assertThat(mode(page)).isEqualTo("rw-r--r--");
  }

  @Test
  void aDeviceKeyOthersCanReadStopsTheStartAndIsLeftAsItIs() throws Exception {
    Path state = Files.createDirectories(dir.resolve(".jsync"));
    Path key = Files.writeString(state.resolve(StateFolder.KEY_FILE), "key");
    Path status = Files.writeString(state.resolve("status.json"), "{}");
    set(key, "rw-r--r--");
    set(status, "rw-r--r--");

    assertThatThrownBy(() -> StateFolder.prepare(state)).isInstanceOf(BadInvocation.class)
        .hasMessage("this device's private key can be read by other users (mode rw-r--r--): if no one else could have"
            + " copied it, run `chmod 600 " + key + "`; otherwise delete that file, and jsync makes a new identity"
            + " (peers then see a new device)")
        .extracting(e -> ((BadInvocation) e).exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(mode(key)).isEqualTo("rw-r--r--");
  }

  @Test
  void aDeviceKeyAnOlderVersionKeptThatOthersCanReadStopsTheStartToo() throws Exception {
    Path state = Files.createDirectories(dir.resolve(".jsync"));
    Path old = Files.writeString(state.resolve(StateFolder.OLD_KEY_FILE), "key");
    set(old, "rw-r--r--");

    assertThatThrownBy(() -> StateFolder.prepare(state)).isInstanceOf(BadInvocation.class)
        .hasMessageContaining("run `chmod 600 " + old + "`");
    assertThat(mode(old)).isEqualTo("rw-r--r--");
  }

  @Test
  void theSettingsNeverShowTheSecret() throws Exception {
    String secret = "s3cret-that-must-not-leak";
    Path folder = Files.createDirectories(dir.resolve("Notes"));
    RunSettings.Given given = new RunSettings.Given(folder, List.of("pi:7777"), secret, null, 7777, null, null, null,
        "laptop", null, false);
    assertThat(given.toString()).doesNotContain(secret).contains("password=(hidden)", "laptop");
    RunSettings settings = RunSettings.validate(given, Map.of());
    assertThat(settings.secret()).isEqualTo(secret);
    assertThat(settings.toString()).doesNotContain(secret).contains("secret=(hidden)");
    assertThat(new RunSettings(folder, folder.resolve(".jsync"), new InetSocketAddress(7777), List.of(), secret, "me",
        Duration.ofSeconds(60), dev.jsync.net.TlsEngine.AUTO).toString()).doesNotContain(secret);
  }

  /** The warnings {@link StateFolder} logs while {@code action} runs. */
  private static List<String> warningsWhile(Runnable action) {
    Logger logger = (Logger) LoggerFactory.getLogger(StateFolder.class);
    ListAppender<ILoggingEvent> capture = new ListAppender<>();
    capture.start();
    logger.addAppender(capture);
    try {
      action.run();
    } finally {
      logger.detachAppender(capture);
    }
    return capture.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private static void set(Path p, String mode) throws Exception {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
