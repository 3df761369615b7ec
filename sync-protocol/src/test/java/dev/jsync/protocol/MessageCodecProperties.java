package dev.jsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every message survives the codec; no input makes it throw anything but ProtocolException. */
class MessageCodecProperties {

  @Property(tries = 500)
  void everyMessageRoundTrips(@ForAll("messages") Message m) throws ProtocolException {
    Message back = MessageCodec.decode(MessageCodec.encode(m));
    assertThat(ProtocolArbitraries.same(m, back)).as("%s -> %s", m, back).isTrue();
  }

  @Property(tries = 2000)
  void randomBytesDecodeOrFailCleanly(@ForAll byte[] payload) {
    decodeOrProtocolException(payload);
  }

  @Property(tries = 2000)
  void mutatedMessagesDecodeOrFailCleanly(@ForAll("messages") Message m, @ForAll("mutations") long seed)
      throws ProtocolException {
    byte[] payload = Mutations.mutate(MessageCodec.encode(m), seed);
    Message back = decodeOrProtocolException(payload);
    if (back != null) {
      // Whatever came out passed every check: re-encoding it must be stable.
      assertThat(ProtocolArbitraries.same(MessageCodec.decode(MessageCodec.encode(back)), back)).isTrue();
    }
  }

  private static Message decodeOrProtocolException(byte[] payload) {
    byte[] copy = payload.clone();
    try {
      return MessageCodec.decode(payload);
    } catch (ProtocolException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      return null;
    } finally {
      assertThat(Arrays.equals(copy, payload)).as("decode must not modify its input").isTrue();
    }
  }

  @Provide
  Arbitrary<Message> messages() {
    return ProtocolArbitraries.messages();
  }

  @Provide
  Arbitrary<Long> mutations() {
    return Arbitraries.longs();
  }
}
