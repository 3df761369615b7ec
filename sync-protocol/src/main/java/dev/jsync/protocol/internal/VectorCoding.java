package dev.jsync.protocol.internal;

import com.google.protobuf.ByteString;
import dev.jsync.core.DeviceId;
import dev.jsync.core.VersionVector;
import dev.jsync.protocol.Protocol;
import dev.jsync.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * A version vector as one bytes field of fixed-width entries, sorted by device id:
 *
 * <pre>
 * +--------------------------+-----------------------------+
 * | device id (32 bytes)     | counter (8 bytes, BE, >= 1) |  x n, device ids ascending
 * +--------------------------+-----------------------------+
 * </pre>
 *
 * Stateless.
 */
final class VectorCoding {

  static final int ENTRY_BYTES = DeviceId.LENGTH + Long.BYTES;

  private VectorCoding() {
  }

  static ByteString encode(VersionVector v) {
    SortedMap<DeviceId, Long> counters = v.counters();
    ByteBuffer out = ByteBuffer.allocate(counters.size() * ENTRY_BYTES);
    counters.forEach((d, c) -> out.put(d.toBytes()).putLong(c));
    return ByteString.copyFrom(out.array());
  }

  static VersionVector decode(ByteString raw, String field) throws ProtocolException {
    WireChecks.require(raw.size() % ENTRY_BYTES == 0,
        field + " must be a multiple of " + ENTRY_BYTES + " bytes, got " + raw.size());
    WireChecks.require(raw.size() / ENTRY_BYTES <= Protocol.MAX_VERSION_ENTRIES_PER_RECORD,
        field + " has " + raw.size() / ENTRY_BYTES + " entries, more than " + Protocol.MAX_VERSION_ENTRIES_PER_RECORD);
    byte[] bytes = raw.toByteArray();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    Map<DeviceId, Long> counters = new LinkedHashMap<>();
    byte[] previous = null;
    for (int at = 0; at < bytes.length; at += ENTRY_BYTES) {
      byte[] device = Arrays.copyOfRange(bytes, at, at + DeviceId.LENGTH);
      long counter = in.getLong(at + DeviceId.LENGTH);
      WireChecks.require(previous == null || Arrays.compareUnsigned(previous, device) < 0,
          field + " entries must be sorted by device id without duplicates");
      WireChecks.require(counter >= 1, field + " counters must be 1..2^63-1, got " + Long.toUnsignedString(counter));
      counters.put(DeviceId.of(device), counter);
      previous = device;
    }
    return VersionVector.of(counters);
  }
}
