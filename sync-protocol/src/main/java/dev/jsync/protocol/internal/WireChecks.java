package dev.jsync.protocol.internal;

import com.google.protobuf.ByteString;
import dev.jsync.core.DeviceId;
import dev.jsync.core.InvalidRelativePathException;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.protocol.ProtocolException;

/** Validation of single fields from the wire; each failure names the field. Stateless. */
final class WireChecks {

  private WireChecks() {
  }

  static void require(boolean ok, String what) throws ProtocolException {
    if (!ok) {
      throw new ProtocolException(what);
    }
  }

  /** An unsigned 64-bit wire counter that must fit a non-negative Java long. */
  static long counter(long raw, String field) throws ProtocolException {
    require(raw >= 0, field + " is out of range (>= 2^63)");
    return raw;
  }

  static RelativePath path(String raw, String field) throws ProtocolException {
    try {
      return RelativePath.of(raw);
    } catch (InvalidRelativePathException e) {
      throw new ProtocolException(field + ": " + e.getMessage(), e);
    }
  }

  static Sha256 sha256(ByteString raw, String field) throws ProtocolException {
    require(raw.size() == Sha256.LENGTH, field + " must be " + Sha256.LENGTH + " bytes, got " + raw.size());
    return Sha256.fromBytes(raw.toByteArray());
  }

  static DeviceId deviceId(ByteString raw, String field) throws ProtocolException {
    require(raw.size() == DeviceId.LENGTH, field + " must be " + DeviceId.LENGTH + " bytes, got " + raw.size());
    return DeviceId.of(raw.toByteArray());
  }

  static byte[] exactly(ByteString raw, int length, String field) throws ProtocolException {
    require(raw.size() == length, field + " must be " + length + " bytes, got " + raw.size());
    return raw.toByteArray();
  }

  static int version(int raw, String field) throws ProtocolException {
    // uint32 on the wire: values of 2^31 and above arrive negative.
    require(raw > 0, field + " must be a positive protocol version, got " + Integer.toUnsignedString(raw));
    return raw;
  }

  static <E extends Enum<E>> E known(E value, E unspecified, String field) throws ProtocolException {
    require(value != unspecified && !"UNRECOGNIZED".equals(value.name()), field + " is missing or unknown: " + value);
    return value;
  }
}
