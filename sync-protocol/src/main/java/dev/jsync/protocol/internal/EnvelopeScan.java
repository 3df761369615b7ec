package dev.jsync.protocol.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.jsync.protocol.Protocol;
import dev.jsync.protocol.ProtocolException;
import dev.jsync.protocol.v1.Envelope;
import dev.jsync.protocol.v1.IndexUpdate;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A pass over an encoded envelope that counts index records without building anything, so that
 * a frame announcing millions of tiny records is refused before the parser creates an object for
 * each. Every other repeated or list-like field in the schema costs about as much in memory as on
 * the wire, so this is the only count that needs checking up front. Stateless.
 */
final class EnvelopeScan {

  private static final int INDEX_UPDATE_TAG =
      tag(Envelope.INDEX_UPDATE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int RECORDS_TAG =
      tag(IndexUpdate.RECORDS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);

  private EnvelopeScan() {
  }

  /** A field's tag: its number shifted past the 3 wire-type bits. */
  private static int tag(int fieldNumber, int wireType) {
    return (fieldNumber << 3) | wireType;
  }

  static void checkRecordCount(ByteBuffer payload) throws ProtocolException {
    CodedInputStream in = PayloadInput.of(payload);
    int records = 0;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag != INDEX_UPDATE_TAG) {
          in.skipField(tag);
          continue;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        for (int inner = in.readTag(); inner != 0; inner = in.readTag()) {
          if (inner == RECORDS_TAG && ++records > Protocol.MAX_RECORDS_PER_UPDATE) {
            throw new ProtocolException("index update with more than " + Protocol.MAX_RECORDS_PER_UPDATE + " records");
          }
          in.skipField(inner);
        }
        in.popLimit(limit);
      }
    } catch (IOException e) {
      throw new ProtocolException("malformed message: " + e.getMessage(), e);
    }
  }
}
