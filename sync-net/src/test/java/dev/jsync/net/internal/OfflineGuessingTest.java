package dev.jsync.net.internal;

import static dev.jsync.net.internal.HandshakeTest.decodeAll;
import static dev.jsync.net.internal.HandshakeTest.frame;
import static dev.jsync.net.internal.HandshakeTest.kinds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.core.DeviceId;
import dev.jsync.net.NetLimits;
import dev.jsync.protocol.AuthChallenge;
import dev.jsync.protocol.AuthProof;
import dev.jsync.protocol.Close;
import dev.jsync.protocol.CloseReason;
import dev.jsync.protocol.Message;
import dev.jsync.protocol.MessageCodec;
import dev.jsync.protocol.Protocol;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What someone without the secret learns by taking part in a handshake: a listener reached by
 * mistake (a stale address, a spoofed name) that a real node dials, and a stranger that dials a
 * real node. Each plays the protocol as far as it can, with a guess of the secret, keeping its
 * ephemeral keys so that it can afterwards test other guesses offline against what it received.
 */
class OfflineGuessingTest {

  static final String SECRET = "correct horse battery staple";
  /** The attacker's dictionary; the real secret is in it. */
  static final List<String> DICTIONARY = List.of("123456", "password", "letmein", SECRET, "hunter2", "jsync");

  /** The certificate the attacker presents: whatever it likes; its hash is what the other end binds to. */
  private static final byte[] FAKE_CERT_BYTES = "the attacker's own certificate".getBytes();
  private static final byte[] FAKE_CERT_HASH = DeviceId.fromCertificate(FAKE_CERT_BYTES).toBytes();

  /** What the fake listener received from the dialer, and the dialer itself. */
  private record Attack(List<Message> fromDialer, EmbeddedChannel dialer, SpyHandler dialerEvents) {
  }

  /** An attacker's J-PAKE end: the same seed gives the same nonce and ephemeral keys. */
  private static PakeSession attacker(Role role, String guess, byte[] peerCertHash, long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(ByteBuffer.allocate(8).putLong(seed).array());
      return new PakeSession(role, SecretKeys.derive(guess), FAKE_CERT_HASH, peerCertHash, random);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** A real dialer holding {@code dialerSecret} reaches a fake listener that plays J-PAKE with {@code guess}. */
  private static Attack fakeListener(String dialerSecret, String guess, long seed) throws Exception {
    DeviceIdentity a = EmbeddedPeers.identity(true);
    SpyHandler events = new SpyHandler("dialer");
    Node node = EmbeddedPeers.node("dialer", a, SecretKeys.derive(dialerSecret), NetLimits.defaults(), events);
    EmbeddedChannel dialer = EmbeddedPeers.channel(node, Role.DIALER,
        new SessionCertificates(a.certificateDer(), FAKE_CERT_BYTES));
    dialer.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
    List<Message> got = new ArrayList<>(decodeAll(dialer));
    AuthChallenge challenge = (AuthChallenge) got.get(0);

    PakeSession fake = attacker(Role.LISTENER, guess, a.id().toBytes(), seed);
    dialer.writeInbound(frame(new AuthChallenge(Protocol.VERSION, fake.nonce(), fake.round1())));
    fake.acceptRound1(challenge.nonce(), challenge.pakeRound1());
    got.addAll(decodeAll(dialer));
    AuthProof round2 = (AuthProof) got.get(1);
    dialer.writeInbound(frame(AuthProof.round2(fake.round2())));
    fake.acceptRound2(round2.value());
    // The fake listener cannot compute a right confirmation: it sends the one its guess gives.
    dialer.writeInbound(frame(AuthProof.confirmation(fake.myConfirmation())));
    dialer.runPendingTasks();
    got.addAll(decodeAll(dialer));
    return new Attack(got, dialer, events);
  }

  /**
   * The attacker's offline test: for each candidate, rerun its own end with the same ephemeral
   * keys and that candidate as the secret, over what the dialer sent, and check every value the
   * dialer sent against what the dialer would have sent had the candidate been right.
   */
  private static List<String> candidatesConfirmedOffline(Attack attack, long seed) throws Exception {
    AuthChallenge challenge = (AuthChallenge) attack.fromDialer.get(0);
    AuthProof round2 = (AuthProof) attack.fromDialer.get(1);
    byte[] dialerCertHash = EmbeddedPeers.identity(true).id().toBytes();
    List<String> confirmed = new ArrayList<>();
    for (String candidate : DICTIONARY) {
      PakeSession replay = attacker(Role.LISTENER, candidate, dialerCertHash, seed);
      replay.round1();
      replay.acceptRound1(challenge.nonce(), challenge.pakeRound1());
      replay.round2();
      replay.acceptRound2(round2.value());
      for (Message m : attack.fromDialer) {
        byte[] encoded = MessageCodec.encode(m);
        if (m instanceof AuthProof p && p.step() == AuthProof.Step.KEY_CONFIRMATION && replay.peerConfirms(p.value())
            || containsConfirmationOf(replay, encoded)) {
          confirmed.add(candidate);
          break;
        }
      }
    }
    return confirmed;
  }

  /** Whether any 32-byte window of a message is the dialer's confirmation under this replay. */
  private static boolean containsConfirmationOf(PakeSession replay, byte[] encoded) {
    for (int i = 0; i + Protocol.CONFIRMATION_BYTES <= encoded.length; i++) {
      if (replay.peerConfirms(java.util.Arrays.copyOfRange(encoded, i, i + Protocol.CONFIRMATION_BYTES))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aFakeListenerWithoutTheSecretNeverReceivesAValueToTestGuessesAgainst() throws Exception {
    long seed = 7;
    Attack attack = fakeListener(SECRET, "password", seed);
    // The dialer sent its round 1 and round 2, checked the listener's confirmation, and refused:
    // its own confirmation, the one value keyed by the secret, never left it.
    assertThat(kinds(attack.fromDialer)).containsExactly("AuthChallenge", "AuthProof(PAKE_ROUND2)", "Close");
    assertThat(((Close) attack.fromDialer.get(2)).reason()).isEqualTo(CloseReason.AUTH_FAILED);
    assertThat(attack.dialer.isOpen()).isFalse();
    assertThat(attack.dialerEvents.connected).isEmpty();
    // No candidate of the dictionary, the real secret included, verifies against what it received.
    assertThat(candidatesConfirmedOffline(attack, seed)).isEmpty();
    attack.dialer.finishAndReleaseAll();
  }

  @Test
  void whatTheFakeListenerReceivesDoesNotDependOnTheSecret() throws Exception {
    // Same attacker, same guess, dialers holding different secrets: the same messages, of the same
    // sizes, end the same way. Which secret the dialer holds shows in nothing but the one guess.
    Attack one = fakeListener(SECRET, "password", 11);
    Attack other = fakeListener("a completely different secret", "password", 11);
    assertThat(kinds(one.fromDialer)).isEqualTo(kinds(other.fromDialer));
    assertThat(one.fromDialer.stream().map(m -> MessageCodec.encode(m).length).toList())
        .isEqualTo(other.fromDialer.stream().map(m -> MessageCodec.encode(m).length).toList());
    assertThat(one.fromDialer.get(2)).isEqualTo(other.fromDialer.get(2));
    one.dialer.finishAndReleaseAll();
    other.dialer.finishAndReleaseAll();
  }

  @Test
  void aRightGuessIsTheOnlyThingAConnectionConfirms() throws Exception {
    // The control for the offline test above: when the attacker's one online guess is right, the
    // dialer does send its confirmation, and the offline test finds that guess, and only it.
    long seed = 13;
    Attack attack = fakeListener(SECRET, SECRET, seed);
    assertThat(kinds(attack.fromDialer)).startsWith("AuthChallenge", "AuthProof(PAKE_ROUND2)",
        "AuthProof(KEY_CONFIRMATION)");
    assertThat(candidatesConfirmedOffline(attack, seed)).containsExactly(SECRET);
    attack.dialer.finishAndReleaseAll();
  }

  @Test
  void aStrangerThatLeavesAfterTheListenersConfirmationIsCountedAsAFailedGuess() throws Exception {
    // A stranger dials a real listener: the listener's confirmation tests the stranger's one guess,
    // so however the stranger goes on without a right confirmation of its own, it counts as a
    // wrong guess from its address.
    List<java.util.function.Consumer<EmbeddedChannel>> endings = List.of(
        EmbeddedChannel::close,
        ch -> ch.writeInbound(frame(new Close(CloseReason.SHUTDOWN, "bye"))),
        ch -> ch.writeInbound(frame(dev.jsync.protocol.Ping.INSTANCE)),
        ch -> ch.writeInbound(frame(AuthProof.confirmation(new byte[Protocol.CONFIRMATION_BYTES]))));
    for (int i = 0; i < endings.size(); i++) {
      DeviceIdentity b = EmbeddedPeers.identity(false);
      SpyHandler events = new SpyHandler("listener");
      Node node = EmbeddedPeers.node("listener", b, SecretKeys.derive(SECRET), NetLimits.defaults(), events);
      InetAddress from = InetAddress.getByName("192.0.2.7");
      EmbeddedChannel listener = EmbeddedPeers.channel(new EmbeddedChannel() {
        @Override
        protected SocketAddress remoteAddress0() {
          return new InetSocketAddress(from, 40000);
        }
      }, node, Role.LISTENER, new SessionCertificates(b.certificateDer(), FAKE_CERT_BYTES));
      listener.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
      AuthChallenge challenge = (AuthChallenge) decodeAll(listener).get(0);

      PakeSession stranger = attacker(Role.DIALER, "letmein", b.id().toBytes(), 17);
      listener.writeInbound(frame(new AuthChallenge(Protocol.VERSION, stranger.nonce(), stranger.round1())));
      stranger.acceptRound1(challenge.nonce(), challenge.pakeRound1());
      listener.writeInbound(frame(AuthProof.round2(stranger.round2())));
      List<Message> got = decodeAll(listener);
      assertThat(kinds(got)).containsExactly("AuthProof(PAKE_ROUND2)", "AuthProof(KEY_CONFIRMATION)");
      stranger.acceptRound2(((AuthProof) got.get(0)).value());
      assertThat(stranger.peerConfirms(((AuthProof) got.get(1)).value())).as("the guess was wrong").isFalse();
      assertThat(node.failures.penalty(from).isZero()).isTrue();

      endings.get(i).accept(listener);
      listener.runPendingTasks();
      assertThat(node.failures.penalty(from).toMillis()).as("ending %d", i)
          .isEqualTo(AuthFailureTracker.BASE_PENALTY_MILLIS);
      assertThat(events.connected).isEmpty();
      listener.finishAndReleaseAll();
    }
  }
}
