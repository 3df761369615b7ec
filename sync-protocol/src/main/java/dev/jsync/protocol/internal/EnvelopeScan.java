package dev.jsync.protocol.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import dev.jsync.protocol.Protocol;
import dev.jsync.protocol.ProtocolException;
import dev.jsync.protocol.v1.Envelope;
import dev.jsync.protocol.v1.IndexUpdate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * A pass over an encoded envelope, guided by the schema, that builds nothing and refuses before
 * the parser runs whatever would make the parser create many more objects than the frame has
 * bytes:
 *
 * <ul>
 *   <li>every {@code repeated} field is counted against its bound ({@link #BOUNDS}), and each
 *       element must be at least as long as the smallest element that could pass validation, so
 *       a frame of millions of empty elements is refused before one object exists for them;
 *   <li>a field that is not repeated occurs at most once in its message (the encoder never
 *       writes one twice; a parser would build each occurrence and keep the last);
 *   <li>a message holds at most one member of its {@code oneof};
 *   <li>before authentication ({@link #checkHandshake}), the envelope is at most
 *       {@link Protocol#MAX_HANDSHAKE_FRAME_BYTES} long and may hold only the handshake's
 *       messages: their bodies are not scanned further, that size bounds them.
 * </ul>
 *
 * Fields this version does not know are skipped, as the parser drops them. Stateless.
 */
final class EnvelopeScan {

  /** How many elements a repeated field may hold, and how short one may be on the wire. */
  record Bound(int maxCount, int minElementBytes) {
  }

  /**
   * Every repeated field of the schema, with its bound. A record that could pass validation has
   * at least a path, a type, a 32-byte content hash and a 32-byte device id (73 bytes); an inline
   * block at least its 32-byte hash (34 bytes). A repeated field missing here is refused whole.
   */
  static final Map<FieldDescriptor, Bound> BOUNDS = Map.of(
      IndexUpdate.getDescriptor().findFieldByNumber(IndexUpdate.RECORDS_FIELD_NUMBER),
      new Bound(Protocol.MAX_RECORDS_PER_UPDATE, 64),
      IndexUpdate.getDescriptor().findFieldByNumber(IndexUpdate.INLINE_FIELD_NUMBER),
      new Bound(Protocol.MAX_INLINE_BLOCKS_PER_UPDATE, 34));

  /** The envelope bodies allowed before authentication. */
  private static final List<Integer> HANDSHAKE_BODIES = List.of(Envelope.AUTH_CHALLENGE_FIELD_NUMBER,
      Envelope.AUTH_PROOF_FIELD_NUMBER, Envelope.CLOSE_FIELD_NUMBER);

  private EnvelopeScan() {
  }

  /** Checks an envelope received after authentication. */
  static void check(ByteBuffer payload) throws ProtocolException {
    try {
      scan(PayloadInput.of(payload), Envelope.getDescriptor(), 0);
    } catch (IOException e) {
      throw new ProtocolException("malformed message: " + e.getMessage(), e);
    }
  }

  /**
   * Checks an envelope received before authentication: small, and holding nothing but an
   * {@code AuthChallenge}, an {@code AuthProof} or a {@code Close}.
   */
  static void checkHandshake(ByteBuffer payload) throws ProtocolException {
    if (payload.remaining() > Protocol.MAX_HANDSHAKE_FRAME_BYTES) {
      throw new ProtocolException("handshake message of " + payload.remaining() + " bytes exceeds "
          + Protocol.MAX_HANDSHAKE_FRAME_BYTES);
    }
    CodedInputStream in = PayloadInput.of(payload);
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int number = WireFormat.getTagFieldNumber(tag);
        if (!HANDSHAKE_BODIES.contains(number)) {
          FieldDescriptor f = Envelope.getDescriptor().findFieldByNumber(number);
          throw new ProtocolException((f != null ? f.getName() : "field " + number) + " before authentication");
        }
        in.skipField(tag);
      }
    } catch (IOException e) {
      throw new ProtocolException("malformed message: " + e.getMessage(), e);
    }
    // Nothing else to count: 512 bytes cannot become many objects.
  }

  /** Scans the fields of one {@code type} message up to the input's current limit. */
  private static void scan(CodedInputStream in, Descriptor type, int depth) throws IOException, ProtocolException {
    long seen = 0; // bit n: field n occurred (every field number of the schema is below 64)
    BitSet seenHigh = null;
    Descriptors.OneofDescriptor oneofSeen = null;
    int[] counts = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int number = WireFormat.getTagFieldNumber(tag);
      FieldDescriptor field = type.findFieldByNumber(number);
      if (field == null) {
        in.skipField(tag);
        continue;
      }
      String name = type.getName() + "." + field.getName();
      if (!field.isRepeated()) {
        boolean again;
        if (number < 64) {
          again = (seen & (1L << number)) != 0;
          seen |= 1L << number;
        } else {
          seenHigh = seenHigh != null ? seenHigh : new BitSet();
          again = seenHigh.get(number);
          seenHigh.set(number);
        }
        if (again) {
          throw new ProtocolException(name + " occurs more than once");
        }
        Descriptors.OneofDescriptor oneof = field.getRealContainingOneof();
        if (oneof != null) {
          if (oneofSeen == oneof) {
            throw new ProtocolException(type.getName() + " holds more than one " + oneof.getName());
          }
          oneofSeen = oneof; // each message of the schema has at most one oneof
        }
      }
      boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      if (field.isRepeated()) {
        Bound bound = BOUNDS.get(field);
        if (bound == null) {
          throw new ProtocolException(name + " is not expected here");
        }
        if (counts == null) {
          counts = new int[type.getFields().size()];
        }
        if (++counts[field.getIndex()] > bound.maxCount()) {
          throw new ProtocolException(type.getName() + " with more than " + bound.maxCount() + " " + field.getName());
        }
        if (!delimited) {
          throw new ProtocolException(name + " has the wrong wire type");
        }
        int length = in.readRawVarint32();
        if (length < bound.minElementBytes()) {
          throw new ProtocolException(name + " element of " + length + " bytes is shorter than any valid one ("
              + bound.minElementBytes() + ")");
        }
        enter(in, field, length, depth);
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && delimited) {
        enter(in, field, in.readRawVarint32(), depth);
      } else {
        in.skipField(tag);
      }
    }
  }

  /** Scans a sub-message of {@code length} bytes (or skips a repeated field of another kind). */
  private static void enter(CodedInputStream in, FieldDescriptor field, int length, int depth)
      throws IOException, ProtocolException {
    if (length < 0) {
      throw new ProtocolException("negative length");
    }
    if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      in.skipRawBytes(length);
      return;
    }
    if (depth >= 8) {
      throw new ProtocolException("messages nested too deeply");
    }
    int limit = in.pushLimit(length);
    scan(in, field.getMessageType(), depth + 1);
    in.checkLastTagWas(0);
    in.popLimit(limit);
  }
}
