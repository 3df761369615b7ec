package dev.jsync.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files through which {@code jsync forget} asks a running node (ForgetRequests): what is not
 * a request is answered {@code failed} and never reaches the node, a request file that is a link
 * is removed unread, and a command whose node does not answer withdraws its request.
 */
class ForgetRequestsTest {

  @TempDir
  Path state;

  private String reply() throws Exception {
    return Files.readString(state.resolve(ForgetRequests.REPLY));
  }

  @Test
  void whatIsNotARequestIsAnsweredFailedWithoutReachingTheNode() throws Exception {
    Files.writeString(state.resolve(ForgetRequests.REQUEST), "rm -rf /\n");
    ForgetRequests.serve(state, null); // a null node: reaching it would throw
    assertThat(reply()).isEqualTo("0 failed not a forget request\n");
    assertThat(state.resolve(ForgetRequests.REQUEST)).doesNotExist();

    // Too long: only the first bytes are read, and they are not a request either.
    Files.writeString(state.resolve(ForgetRequests.REQUEST), "abc " + "x".repeat(10_000) + "\n");
    ForgetRequests.serve(state, null);
    assertThat(reply()).startsWith("abc failed ");
  }

  @Test
  void aRequestFileThatIsALinkIsRemovedUnreadAndItsTargetKept() throws Exception {
    Path target = Files.writeString(state.resolve("secret.txt"), "1234 " + DeviceId.fromName("x") + "\n");
    Files.createSymbolicLink(state.resolve(ForgetRequests.REQUEST), target);
    ForgetRequests.serve(state, null);
    assertThat(state.resolve(ForgetRequests.REQUEST)).doesNotExist();
    assertThat(Files.readString(target)).startsWith("1234 ");
    assertThat(state.resolve(ForgetRequests.REPLY)).doesNotExist();
  }

  @Test
  void aCommandWhoseNodeDoesNotAnswerWithdrawsItsRequest() throws Exception {
    assertThat(ForgetRequests.ask(state, DeviceId.fromName("gone"), Duration.ofMillis(300))).isEmpty();
    assertThat(state.resolve(ForgetRequests.REQUEST)).doesNotExist();
    assertThat(state.resolve(ForgetRequests.REQUEST + ".tmp")).doesNotExist();
  }
}
