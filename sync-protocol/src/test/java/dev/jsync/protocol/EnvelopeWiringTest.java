package dev.jsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jsync.protocol.v1.Close;
import dev.jsync.protocol.v1.CloseReason;
import dev.jsync.protocol.v1.Envelope;
import org.junit.jupiter.api.Test;

/** Proves the build generates the protobuf classes and that they round-trip. */
class EnvelopeWiringTest {

  @Test
  void envelopeRoundTrips() throws Exception {
    Envelope sent = Envelope.newBuilder()
        .setClose(Close.newBuilder().setReason(CloseReason.CLOSE_REASON_SHUTDOWN).setDetail("bye"))
        .build();
    Envelope received = Envelope.parseFrom(sent.toByteArray());
    assertThat(received.getBodyCase()).isEqualTo(Envelope.BodyCase.CLOSE);
    assertThat(received.getClose().getDetail()).isEqualTo("bye");
  }
}
