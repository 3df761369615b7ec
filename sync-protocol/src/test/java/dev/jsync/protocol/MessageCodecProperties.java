package dev.jsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Every message survives the codec; no input makes it throw anything but ProtocolException. */
class MessageCodecProperties {

  @Property(tries = 500)
  void everyMessageRoundTrips(@ForAll("messages") Message m) throws ProtocolException {
    Message back = MessageCodec.decode(MessageCodec.encode(m));
    assertThat(ProtocolArbitraries.same(m, back)).as("%s -> %s", m, back).isTrue();
  }

  @Property(tries = 300)
  void preparedMessagesWriteTheSameBytesIntoAnyBuffer(@ForAll("messages") Message m, @ForAll boolean direct,
      @ForAll @net.jqwik.api.constraints.IntRange(max = 9) int before) {
    byte[] expected = MessageCodec.encode(m);
    EncodedMessage prepared = MessageCodec.prepare(m);
    assertThat(prepared.size()).isEqualTo(expected.length);
    ByteBuffer target = direct ? ByteBuffer.allocateDirect(before + expected.length + 3) : ByteBuffer.allocate(before + expected.length + 3);
    target.position(before);
    prepared.writeTo(target);
    assertThat(target.position()).isEqualTo(before + expected.length);
    byte[] written = new byte[expected.length];
    target.position(before);
    target.get(written);
    assertThat(written).isEqualTo(expected);
  }

  @Property(tries = 300)
  void decodedMessagesDoNotShareThePayloadsMemory(@ForAll("messages") Message m, @ForAll boolean direct)
      throws ProtocolException {
    // The decoder avoids copies (a block's bytes are handed over); a transport releases the
    // payload right after decode, so nothing may still point into it.
    byte[] bytes = MessageCodec.encode(m);
    ByteBuffer payload = (direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length)).put(bytes).flip();
    Message decoded = MessageCodec.decode(payload);
    for (int i = 0; i < bytes.length; i++) {
      payload.put(i, (byte) ~bytes[i]);
    }
    assertThat(ProtocolArbitraries.same(m, decoded)).as("%s -> %s", m, decoded).isTrue();
  }

  @Test
  void aPreparedMessageRefusesABufferTooSmall() {
    EncodedMessage prepared = MessageCodec.prepare(new BlockResponseMessage(3, dev.jsync.core.transport.BlockReply.data(new byte[100])));
    ByteBuffer small = ByteBuffer.allocate(prepared.size() - 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> prepared.writeTo(small))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs " + prepared.size());
    assertThat(small.position()).isZero();
  }

  @Property(tries = 1000)
  void theBlockDataFastPathAgreesWithTheGenericParser(@ForAll("mostlyBlockResponses") Message m, @ForAll("mutations") long seed,
      @ForAll boolean mutate, @ForAll boolean direct) {
    byte[] bytes = MessageCodec.encode(m);
    if (mutate) {
      bytes = Mutations.mutate(bytes, seed);
    }
    ByteBuffer payload = (direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length)).put(bytes).flip();
    Message fast = null;
    ProtocolException fastError = null;
    try {
      fast = MessageCodec.decode(payload);
    } catch (ProtocolException e) {
      fastError = e;
    }
    Message generic = null;
    try {
      generic = dev.jsync.protocol.internal.EnvelopeMapping.decodeGeneric(payload);
    } catch (ProtocolException e) {
      assertThat(fastError).as("generic parser refused what decode took: %s", e.getMessage()).isNotNull();
      return;
    }
    assertThat(fastError).as("decode refused what the generic parser took").isNull();
    assertThat(ProtocolArbitraries.same(fast, generic)).as("%s vs %s", fast, generic).isTrue();
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
  Arbitrary<Message> mostlyBlockResponses() {
    Arbitrary<Message> blocks = net.jqwik.api.Combinators.combine(
        Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(0, 1000)),
        ProtocolArbitraries.blockReplies()).as(BlockResponseMessage::new);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, ProtocolArbitraries.messages()),
        net.jqwik.api.Tuple.of(3, blocks));
  }

  @Provide
  Arbitrary<Long> mutations() {
    return Arbitraries.longs();
  }
}
