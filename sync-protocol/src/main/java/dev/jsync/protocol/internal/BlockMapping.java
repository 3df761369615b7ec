package dev.jsync.protocol.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.jsync.core.transport.BlockError;
import dev.jsync.core.transport.BlockReply;
import dev.jsync.core.transport.BlockRequest;
import dev.jsync.protocol.BlockRequestMessage;
import dev.jsync.protocol.BlockResponseMessage;
import dev.jsync.protocol.Protocol;
import dev.jsync.protocol.ProtocolException;
import dev.jsync.protocol.v1.BlockErrorCode;
import dev.jsync.protocol.v1.BlockResponse;

/** Block requests and responses to and from the wire. Stateless. */
final class BlockMapping {

  private BlockMapping() {
  }

  static dev.jsync.protocol.v1.BlockRequest toWire(BlockRequestMessage m) {
    BlockRequest r = m.request();
    return dev.jsync.protocol.v1.BlockRequest.newBuilder()
        .setRequestId(m.requestId())
        .setPath(r.path().toString())
        .setOffset(r.offset())
        .setLength(r.length())
        .setHash(ByteString.copyFrom(r.hash().toBytes()))
        .build();
  }

  static BlockRequestMessage fromWire(dev.jsync.protocol.v1.BlockRequest w) throws ProtocolException {
    int length = w.getLength();
    WireChecks.require(length >= 1 && length <= Protocol.MAX_BLOCK_BYTES,
        "block request length must be 1.." + Protocol.MAX_BLOCK_BYTES + ", got " + Integer.toUnsignedString(length));
    BlockRequest request = new BlockRequest(WireChecks.path(w.getPath(), "block request path"),
        WireChecks.counter(w.getOffset(), "block request offset"), length,
        WireChecks.sha256(w.getHash(), "block request hash"));
    return new BlockRequestMessage(w.getRequestId(), request);
  }

  static BlockResponse toWire(BlockResponseMessage m) {
    BlockResponse.Builder b = BlockResponse.newBuilder().setRequestId(m.requestId());
    if (m.reply() instanceof BlockReply.Data d) {
      // No copy: a Data reply's array is handed over and never changed afterwards.
      b.setData(UnsafeByteOperations.unsafeWrap(d.bytes()));
    } else if (m.reply() instanceof BlockReply.Failure f) {
      b.setError(code(f.error())).setDetail(f.detail());
    }
    return b.build();
  }

  static BlockResponseMessage fromWire(BlockResponse w) throws ProtocolException {
    BlockReply reply = switch (w.getResultCase()) {
      case DATA -> {
        WireChecks.require(w.getData().size() <= Protocol.MAX_BLOCK_BYTES,
            "block response of " + w.getData().size() + " bytes exceeds " + Protocol.MAX_BLOCK_BYTES);
        yield BlockReply.data(w.getData().toByteArray());
      }
      case ERROR -> BlockReply.failure(error(w.getError()), w.getDetail());
      case RESULT_NOT_SET -> throw new ProtocolException("block response has neither data nor error");
    };
    return new BlockResponseMessage(w.getRequestId(), reply);
  }

  private static BlockErrorCode code(BlockError e) {
    return switch (e) {
      case NO_SUCH_FILE -> BlockErrorCode.BLOCK_ERROR_CODE_NO_SUCH_FILE;
      case CHANGED -> BlockErrorCode.BLOCK_ERROR_CODE_CHANGED;
      case IO_ERROR -> BlockErrorCode.BLOCK_ERROR_CODE_IO_ERROR;
      case INVALID_REQUEST -> BlockErrorCode.BLOCK_ERROR_CODE_INVALID_REQUEST;
      case BUSY -> BlockErrorCode.BLOCK_ERROR_CODE_BUSY;
    };
  }

  private static BlockError error(BlockErrorCode c) throws ProtocolException {
    return switch (c) {
      case BLOCK_ERROR_CODE_NO_SUCH_FILE -> BlockError.NO_SUCH_FILE;
      case BLOCK_ERROR_CODE_CHANGED -> BlockError.CHANGED;
      case BLOCK_ERROR_CODE_IO_ERROR -> BlockError.IO_ERROR;
      case BLOCK_ERROR_CODE_INVALID_REQUEST -> BlockError.INVALID_REQUEST;
      case BLOCK_ERROR_CODE_BUSY -> BlockError.BUSY;
      default -> throw new ProtocolException("block response error code is missing or unknown: " + c);
    };
  }
}
