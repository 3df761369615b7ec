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
        .build();
  }

  static AuthChallenge fromWire(dev.jsync.protocol.v1.AuthChallenge w) throws ProtocolException {
    return new AuthChallenge(WireChecks.version(w.getProtocolVersion(), "challenge protocol version"),
        WireChecks.exactly(w.getNonce(), Protocol.NONCE_BYTES, "challenge nonce"));
  }

  static dev.jsync.protocol.v1.AuthProof toWire(AuthProof m) {
    return dev.jsync.protocol.v1.AuthProof.newBuilder().setProof(ByteString.copyFrom(m.proof())).build();
  }

  static AuthProof fromWire(dev.jsync.protocol.v1.AuthProof w) throws ProtocolException {
    return new AuthProof(WireChecks.exactly(w.getProof(), Protocol.PROOF_BYTES, "proof"));
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
