package dev.jsync.protocol;

/**
 * One message of the jSync protocol, version {@value Protocol#VERSION}: the closed set of things
 * peers say to each other, each carried in one frame. {@link MessageCodec} turns them into bytes
 * and back. docs/protocol.md says when each is sent.
 *
 * <p>Implementations are immutable records; thread-safe; no I/O.
 */
public sealed interface Message
    permits AuthChallenge, AuthProof, HelloMessage, IndexMessage, BlockRequestMessage,
        BlockResponseMessage, IndexRequestMessage, Ping, Close {
}
