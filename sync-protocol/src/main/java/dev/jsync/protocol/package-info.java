/**
 * jSync's wire protocol in domain terms. Start at {@link dev.jsync.protocol.Message} (the closed
 * set of messages) and {@link dev.jsync.protocol.MessageCodec} (one message to and from the bytes
 * of one frame); {@link dev.jsync.protocol.FrameFormat} and {@link dev.jsync.protocol.FrameReader}
 * are the varint32 length-prefixed framing. The protobuf classes generated from
 * {@code jsync.proto} never appear in this package's signatures. No Netty, no sync logic.
 */
package dev.jsync.protocol;
