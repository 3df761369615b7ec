package dev.jsync.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.Hello;
import org.junit.jupiter.api.Test;

/** {@link Peers} on its own: which session is a peer's current one, and who stays known. */
class PeersTest {

  private static final DeviceId LAPTOP = DeviceId.fromName("laptop");

  @Test
  void onlyTheCurrentLinkOfAPeerFindsItsSession() {
    Peers peers = new Peers();
    RecordingLink old = new RecordingLink(LAPTOP);
    RecordingLink fresh = new RecordingLink(LAPTOP);
    peers.connect(new PeerSession(old, new Hello("laptop", 5, 0, IndexPosition.NONE), 0), "laptop");
    PeerSession current = new PeerSession(fresh, new Hello("laptop", 5, 0, IndexPosition.NONE), 0);
    peers.connect(current, "laptop");

    assertThat(peers.current(fresh)).isSameAs(current);
    assertThat(peers.current(old)).as("a replaced link's late messages find no session").isNull();
    assertThat(peers.sessions()).hasSize(1);
    peers.closeAll();
    assertThat(peers.anyConnected()).isFalse();
    assertThat(peers.known()).as("still known from the store").containsExactly(LAPTOP);
  }
}
