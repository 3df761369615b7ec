package dev.jsync.protocol.internal;

import com.google.protobuf.ByteString;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.transport.Hello;
import dev.jsync.protocol.AuthChallenge;
import dev.jsync.protocol.AuthProof;
import dev.jsync.protocol.Close;
import dev.jsync.protocol.CloseReason;
import dev.jsync.protocol.HelloMessage;
import dev.jsync.protocol.IndexRequestMessage;
import dev.jsync.protocol.Protocol;
import dev.jsync.protocol.ProtocolException;

/** The messages that set up and tear down a connection, to and from the wire. Stateless. */
final class SessionMapping {

  private SessionMapping() {
  }

  static dev.jsync.protocol.v1.AuthChallenge toWire(AuthChallenge m) {
    return dev.jsync.protocol.v1.AuthChallenge.newBuilder()
        .setProtocolVersion(m.protocolVersion())
        .setNonce(ByteString.copyFrom(m.nonce()))
        .setPakeRound1(ByteString.copyFrom(m.pakeRound1()))
        .build();
  }

  static AuthChallenge fromWire(dev.jsync.protocol.v1.AuthChallenge w) throws ProtocolException {
    int version = WireChecks.version(w.getProtocolVersion(), "challenge protocol version");
    if (version != Protocol.VERSION) {
      // Another version's challenge: only its version is read, so that the receiver can name it.
      return AuthChallenge.ofOtherVersion(version);
    }
    return new AuthChallenge(version, WireChecks.exactly(w.getNonce(), Protocol.NONCE_BYTES, "challenge nonce"),
        WireChecks.exactly(w.getPakeRound1(), Protocol.PAKE_ROUND1_BYTES, "challenge J-PAKE round 1"));
  }

  static dev.jsync.protocol.v1.AuthProof toWire(AuthProof m) {
    dev.jsync.protocol.v1.AuthProof.Builder b = dev.jsync.protocol.v1.AuthProof.newBuilder();
    ByteString value = ByteString.copyFrom(m.value());
    return switch (m.step()) {
      case PAKE_ROUND2 -> b.setPakeRound2(value).build();
      case KEY_CONFIRMATION -> b.setKeyConfirmation(value).build();
    };
  }

  static AuthProof fromWire(dev.jsync.protocol.v1.AuthProof w) throws ProtocolException {
    return switch (w.getStepCase()) {
      case PAKE_ROUND2 -> AuthProof.round2(
          WireChecks.exactly(w.getPakeRound2(), AuthProof.Step.PAKE_ROUND2.length, "proof J-PAKE round 2"));
      case KEY_CONFIRMATION -> AuthProof.confirmation(
          WireChecks.exactly(w.getKeyConfirmation(), AuthProof.Step.KEY_CONFIRMATION.length, "key confirmation"));
      case STEP_NOT_SET -> throw new ProtocolException("proof carries no step");
    };
  }

  static dev.jsync.protocol.v1.IndexRequest toWire(IndexRequestMessage m) {
    return dev.jsync.protocol.v1.IndexRequest.newBuilder()
        .setIndexEpoch(m.indexEpoch())
        .setAfterSequence(m.afterSequence())
        .build();
  }

  static IndexRequestMessage fromWire(dev.jsync.protocol.v1.IndexRequest w) throws ProtocolException {
    return new IndexRequestMessage(w.getIndexEpoch(), WireChecks.counter(w.getAfterSequence(), "index request sequence"));
  }

  static dev.jsync.protocol.v1.Hello toWire(HelloMessage m) {
    Hello h = m.hello();
    return dev.jsync.protocol.v1.Hello.newBuilder()
        .setDeviceId(ByteString.copyFrom(m.device().toBytes()))
        .setDeviceName(h.deviceName())
        .setProtocolVersion(m.protocolVersion())
        .setIndexEpoch(h.indexEpoch())
        .setLastSequence(h.lastSequence())
        .setSeenOfYouEpoch(h.seenOfYou().epoch())
        .setSeenOfYouSequence(h.seenOfYou().sequence())
        .build();
  }

  static HelloMessage fromWire(dev.jsync.protocol.v1.Hello w) throws ProtocolException {
    String name = w.getDeviceName();
    WireChecks.require(!name.isEmpty() && name.length() <= Protocol.MAX_DEVICE_NAME_CHARS,
        "device name must be 1.." + Protocol.MAX_DEVICE_NAME_CHARS + " characters, got " + name.length());
    WireChecks.require(name.chars().noneMatch(c -> c < 0x20 || c == 0x7f), "device name contains control characters");
    Hello hello = new Hello(name, w.getIndexEpoch(), WireChecks.counter(w.getLastSequence(), "hello last sequence"),
        new IndexPosition(w.getSeenOfYouEpoch(), WireChecks.counter(w.getSeenOfYouSequence(), "hello seen sequence")));
    return new HelloMessage(WireChecks.deviceId(w.getDeviceId(), "hello device id"),
        WireChecks.version(w.getProtocolVersion(), "hello protocol version"), hello);
  }

  static dev.jsync.protocol.v1.Close toWire(Close m) {
    return dev.jsync.protocol.v1.Close.newBuilder()
        .setReason(dev.jsync.protocol.v1.CloseReason.valueOf("CLOSE_REASON_" + m.reason().name()))
        .setDetail(m.detail())
        .build();
  }

  static Close fromWire(dev.jsync.protocol.v1.Close w) throws ProtocolException {
    dev.jsync.protocol.v1.CloseReason r = WireChecks.known(w.getReason(),
        dev.jsync.protocol.v1.CloseReason.CLOSE_REASON_UNSPECIFIED, "close reason");
    return new Close(CloseReason.valueOf(r.name().substring("CLOSE_REASON_".length())), w.getDetail());
  }
}
