package dev.jsync.protocol.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import dev.jsync.core.FileRecord;
import dev.jsync.protocol.AuthChallenge;
import dev.jsync.protocol.AuthProof;
import dev.jsync.protocol.BlockRequestMessage;
import dev.jsync.protocol.BlockResponseMessage;
import dev.jsync.protocol.Close;
import dev.jsync.protocol.HelloMessage;
import dev.jsync.protocol.IndexMessage;
import dev.jsync.protocol.IndexRequestMessage;
import dev.jsync.protocol.Message;
import dev.jsync.protocol.Ping;
import dev.jsync.protocol.ProtocolException;
import dev.jsync.protocol.v1.Envelope;
import java.nio.ByteBuffer;

/**
 * The entry point of the mapping: a domain {@link Message} to the bytes of one envelope, and
 * back with every check. Unknown fields are dropped while parsing (a newer peer's additions are
 * ignored, and cost no memory); an envelope whose body this version does not know is rejected.
 * Stateless; thread-safe.
 */
public final class EnvelopeMapping {

  private static final Parser<Envelope> PARSER = DiscardUnknownFieldsParser.wrap(Envelope.parser());

  private EnvelopeMapping() {
  }

  /** The encoded envelope carrying {@code m}. */
  public static byte[] encode(Message m) {
    return envelope(m).toByteArray();
  }

  /**
   * {@code m} ready to be written: its exact encoded size is known before the caller allocates
   * a buffer for it, and it is then written straight into that buffer (heap or direct) with no
   * intermediate array. A block's bytes are not copied on the way either.
   */
  public static dev.jsync.protocol.EncodedMessage prepare(Message m) {
    Envelope e = envelope(m);
    int size = e.getSerializedSize();
    return new dev.jsync.protocol.EncodedMessage(size, target -> {
      if (target.remaining() < size) {
        throw new IllegalArgumentException("buffer has " + target.remaining() + " bytes left, message needs " + size);
      }
      ByteBuffer slice = target.slice();
      slice.limit(size);
      CodedOutputStream out = CodedOutputStream.newInstance(slice);
      try {
        e.writeTo(out);
        out.flush();
      } catch (java.io.IOException ex) {
        throw new java.io.UncheckedIOException("writing into a buffer", ex); // a buffer cannot fail
      }
      out.checkNoSpaceLeft();
      target.position(target.position() + size);
    });
  }

  private static Envelope envelope(Message m) {
    Envelope.Builder e = Envelope.newBuilder();
    if (m instanceof AuthChallenge c) {
      e.setAuthChallenge(SessionMapping.toWire(c));
    } else if (m instanceof AuthProof p) {
      e.setAuthProof(SessionMapping.toWire(p));
    } else if (m instanceof HelloMessage h) {
      e.setHello(SessionMapping.toWire(h));
    } else if (m instanceof IndexMessage i) {
      e.setIndexUpdate(IndexMapping.toWire(i));
    } else if (m instanceof BlockRequestMessage r) {
      e.setBlockRequest(BlockMapping.toWire(r));
    } else if (m instanceof BlockResponseMessage r) {
      e.setBlockResponse(BlockMapping.toWire(r));
    } else if (m instanceof IndexRequestMessage r) {
      e.setIndexRequest(SessionMapping.toWire(r));
    } else if (m instanceof Ping) {
      e.setPing(dev.jsync.protocol.v1.Ping.getDefaultInstance());
    } else if (m instanceof Close c) {
      e.setClose(SessionMapping.toWire(c));
    } else {
      throw new AssertionError("unhandled message kind " + m.getClass());
    }
    return e.build();
  }

  /**
   * What {@code r} adds to an encoded index update: its own bytes plus its field tag and
   * length prefix. Lets {@link dev.jsync.protocol.IndexSplitter} cut updates to fit frames.
   */
  public static int encodedRecordSize(FileRecord r) {
    return CodedOutputStream.computeMessageSize(dev.jsync.protocol.v1.IndexUpdate.RECORDS_FIELD_NUMBER,
        RecordMapping.toWire(r));
  }

  /** What {@code block} adds to an encoded index update, as {@link #encodedRecordSize} for a record. */
  public static int encodedInlineSize(dev.jsync.core.transport.InlineBlock block) {
    return CodedOutputStream.computeMessageSize(dev.jsync.protocol.v1.IndexUpdate.INLINE_FIELD_NUMBER,
        IndexMapping.inlineToWire(block));
  }

  /** The message in an encoded envelope; {@code payload}'s position is not moved. */
  public static Message decode(ByteBuffer payload) throws ProtocolException {
    BlockResponseMessage block = BlockDataFastPath.tryDecode(payload);
    if (block != null) {
      return block;
    }
    return decodeGeneric(payload);
  }

  /**
   * {@link #decode} without the fast path for block data: what that path must always agree
   * with. Public only for the property test that checks the agreement.
   */
  public static Message decodeGeneric(ByteBuffer payload) throws ProtocolException {
    EnvelopeScan.check(payload);
    return parse(payload);
  }

  /**
   * The handshake message in an encoded envelope received before authentication: refused
   * before parsing unless it is small and an {@code AuthChallenge}, {@code AuthProof} or
   * {@code Close}.
   */
  public static Message decodeHandshake(ByteBuffer payload) throws ProtocolException {
    EnvelopeScan.checkHandshake(payload);
    return parse(payload);
  }

  private static Message parse(ByteBuffer payload) throws ProtocolException {
    Envelope e;
    try {
      // No copy of the whole payload (see PayloadInput).
      CodedInputStream in = PayloadInput.of(payload);
      e = PARSER.parseFrom(in);
      in.checkLastTagWas(0);
    } catch (InvalidProtocolBufferException ex) {
      throw new ProtocolException("malformed message: " + ex.getMessage(), ex);
    }
    try {
      return switch (e.getBodyCase()) {
        case AUTH_CHALLENGE -> SessionMapping.fromWire(e.getAuthChallenge());
        case AUTH_PROOF -> SessionMapping.fromWire(e.getAuthProof());
        case HELLO -> SessionMapping.fromWire(e.getHello());
        case INDEX_UPDATE -> IndexMapping.fromWire(e.getIndexUpdate());
        case BLOCK_REQUEST -> BlockMapping.fromWire(e.getBlockRequest());
        case BLOCK_RESPONSE -> BlockMapping.fromWire(e.getBlockResponse());
        case INDEX_REQUEST -> SessionMapping.fromWire(e.getIndexRequest());
        case PING -> Ping.INSTANCE;
        case CLOSE -> SessionMapping.fromWire(e.getClose());
        case BODY_NOT_SET -> throw new ProtocolException("empty or unknown message");
      };
    } catch (IllegalArgumentException ex) {
      // Domain constructors check invariants too; from the wire any such failure is the peer's.
      throw new ProtocolException("invalid message: " + ex.getMessage(), ex);
    }
  }
}
