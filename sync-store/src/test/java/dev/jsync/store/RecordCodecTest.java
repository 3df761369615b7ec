package dev.jsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.store.DiskStat;
import dev.jsync.core.store.IndexPosition;
import dev.jsync.core.store.LocalEntry;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

  private static final RelativePath PATH = RelativePath.of("a.md");
  private static final DeviceId ALICE = DeviceId.of(filled(0x11));
  private static final DeviceId BOB = DeviceId.of(filled(0x22));

  private static final LocalEntry SAMPLE = LocalEntry.of(
      FileRecord.file(PATH, BlockInfo.SIZE + 1, 1_000, true,
              List.of(new BlockInfo(0, BlockInfo.SIZE, Sha256.fromBytes(filled(0xAA))),
                  new BlockInfo(BlockInfo.SIZE, 1, Sha256.fromBytes(filled(0xBB)))),
              Sha256.fromBytes(filled(0xCC)), VersionVector.of(Map.of(ALICE, 3L, BOB, 300L)), BOB)
          .withSequence(5),
      new DiskStat(BlockInfo.SIZE + 1, 1_000, "i"));

  /**
   * Pins format 1 byte for byte: if this test breaks, the disk format changed, and
   * {@link StoreLayout#FORMAT_VERSION} must change with a migration (see docs/store.md).
   */
  @Test
  void formatOneIsStable() {
    String hex = HexFormat.of().formatHex(RecordCodec.encodeLocal(SAMPLE));
    assertThat(hex).isEqualTo(
        "00" + "01" + "818008" + "00000000000003e8" + "05" + "22".repeat(32)
            + "02" + "11".repeat(32) + "03" + "22".repeat(32) + "ac02"
            + "cc".repeat(32) + "00" + "02" + "aa".repeat(32) + "bb".repeat(32)
            + "01" + "0000000000020001" + "00000000000003e8" + "01" + "69");
    assertThat(RecordCodec.decodeLocal(PATH, RecordCodec.encodeLocal(SAMPLE))).isEqualTo(SAMPLE);
  }

  /**
   * Format 3: a merge sets flag bit 2 and carries what it merged right after its version; a
   * record without the flag (every record of formats 1 and 2) reads as no merge.
   */
  @Test
  void aMergeCarriesWhatItMergedAfterItsVersion() {
    FileRecord merge = FileRecord.file(PATH, 1, 1_000, false,
            List.of(new BlockInfo(0, 1, Sha256.fromBytes(filled(0xAA)))), Sha256.fromBytes(filled(0xCC)),
            VersionVector.of(Map.of(ALICE, 3L, BOB, 300L)), BOB)
        .asMergeOf(VersionVector.of(Map.of(ALICE, 3L, BOB, 299L))).withSequence(5);
    String hex = HexFormat.of().formatHex(RecordCodec.encodeRecord(merge));
    assertThat(hex).isEqualTo(
        "00" + "04" + "01" + "00000000000003e8" + "05" + "22".repeat(32)
            + "02" + "11".repeat(32) + "03" + "22".repeat(32) + "ac02"
            + "02" + "11".repeat(32) + "03" + "22".repeat(32) + "ab02"
            + "cc".repeat(32) + "00" + "01" + "aa".repeat(32));
    assertThat(RecordCodec.decodeRecord(PATH, RecordCodec.encodeRecord(merge))).isEqualTo(merge);
    LocalEntry local = LocalEntry.of(merge, new DiskStat(1, 1_000, "i"));
    assertThat(RecordCodec.decodeLocal(PATH, RecordCodec.encodeLocal(local))).isEqualTo(local);
    assertThat(RecordCodec.decodeLocalSummary(PATH, RecordCodec.encodeLocal(local)).stat()).isEqualTo(local.stat());
    // Without the flag, the same bytes but those of what it merged are a record that is no merge.
    FileRecord plain = merge.asMergeOf(VersionVector.empty());
    assertThat(HexFormat.of().formatHex(RecordCodec.encodeRecord(plain)))
        .isEqualTo(hex.replace("00" + "04", "00" + "00").replace("02" + "11".repeat(32) + "03" + "22".repeat(32) + "ab02", ""));
    assertThat(RecordCodec.decodeRecord(PATH, RecordCodec.encodeRecord(plain)).isMerge()).isFalse();
  }

  @Test
  void everyTruncationIsDetected() {
    byte[] full = RecordCodec.encodeLocal(SAMPLE);
    for (int length = 0; length < full.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(full, length);
      assertThatThrownBy(() -> RecordCodec.decodeLocal(PATH, cut)).as("first %d bytes", cut.length)
          .isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void trailingBytesAreDetected() {
    byte[] full = RecordCodec.encodeLocal(SAMPLE);
    byte[] longer = java.util.Arrays.copyOf(full, full.length + 1);
    assertThatThrownBy(() -> RecordCodec.decodeLocal(PATH, longer)).isInstanceOf(CorruptDataException.class);
  }

  @Property(tries = 3000)
  void garbageNeverDecodesIntoAnythingButCorruptData(@ForAll @Size(max = 200) byte[] garbage) {
    try {
      RecordCodec.decodeLocal(PATH, garbage);
    } catch (CorruptDataException expected) {
      // The only acceptable failure.
    }
    try {
      RecordCodec.decodeRecord(PATH, garbage);
    } catch (CorruptDataException expected) {
      // The only acceptable failure.
    }
  }

  @Property(tries = 1000)
  void mutatedRecordsFailCleanlyOrDecode(@ForAll int position, @ForAll byte value) {
    byte[] bytes = RecordCodec.encodeLocal(SAMPLE);
    bytes[Math.floorMod(position, bytes.length)] = value;
    try {
      RecordCodec.decodeLocal(PATH, bytes);
    } catch (CorruptDataException expected) {
      // The only acceptable failure.
    }
  }

  @Test
  void positionsAndBlockValuesRoundTrip() {
    IndexPosition position = new IndexPosition(-3, Long.MAX_VALUE);
    assertThat(RecordCodec.decodePosition(RecordCodec.encodePosition(position))).isEqualTo(position);
    long[] block = RecordCodec.decodeBlock(RecordCodec.encodeBlock(new BlockInfo(7L * BlockInfo.SIZE, 12,
        Sha256.of("x".getBytes(StandardCharsets.UTF_8)))));
    assertThat(block).containsExactly(7L * BlockInfo.SIZE, 12);
  }

  private static byte[] filled(int value) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
