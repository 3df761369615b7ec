/**
 * jSync's wire format: protobuf messages (generated from {@code jsync.proto}, never exposed
 * outside this module) and the varint32 length-prefixed frame format. No Netty, no sync logic.
 */
package dev.jsync.protocol;
