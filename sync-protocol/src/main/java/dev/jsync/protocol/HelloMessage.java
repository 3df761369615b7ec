package dev.jsync.protocol;

import dev.jsync.core.DeviceId;
import dev.jsync.core.transport.Hello;
import java.util.Objects;

/**
 * The first message after authentication: who the sender is and how far each side has read
 * the other's index (core's {@link Hello}).
 *
 * @param device the sender's device id; must match the certificate it presented
 * @param protocolVersion the sender's protocol version
 * @param hello the engine's part: name, index epoch and sequence, position in the receiver's index
 */
public record HelloMessage(DeviceId device, int protocolVersion, Hello hello) implements Message {

  public HelloMessage {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(hello, "hello");
    if (protocolVersion <= 0) {
      throw new IllegalArgumentException("protocol version must be positive: " + protocolVersion);
    }
  }
}
