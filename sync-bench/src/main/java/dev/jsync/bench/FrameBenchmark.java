package dev.jsync.bench;

import dev.jsync.core.BlockInfo;
import dev.jsync.core.DeviceId;
import dev.jsync.core.FileRecord;
import dev.jsync.core.RelativePath;
import dev.jsync.core.Sha256;
import dev.jsync.core.VersionVector;
import dev.jsync.core.transport.IndexUpdate;
import dev.jsync.protocol.FrameFormat;
import dev.jsync.protocol.IndexMessage;
import dev.jsync.protocol.Message;
import dev.jsync.protocol.MessageCodec;
import dev.jsync.protocol.Protocol;
import dev.jsync.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding (with full validation) of an index batch of 1,000 records of small
 * notes, the typical batch of an initial sync. Divide by 1,000 for the cost of one record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameBenchmark {

  private IndexMessage message;
  private byte[] framed;

  @Setup
  public void setUp() {
    DeviceId a = DeviceId.fromName("laptop");
    List<FileRecord> records = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      byte[] content = ("note " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      BlockInfo block = new BlockInfo(0, content.length, Sha256.of(content));
      records.add(FileRecord.file(RelativePath.of("folder" + (i % 200) + "/note" + i + ".md"), content.length,
          1_700_000_000_000_000_000L + i, false, List.of(block), Sha256.of(block.hash().toBytes()),
          VersionVector.empty().increment(a, 1_700_000_000L), a).withSequence(i + 1));
    }
    message = new IndexMessage(new IndexUpdate(42, 0, 1000, records));
    framed = FrameFormat.frame(MessageCodec.encode(message), Protocol.DEFAULT_MAX_FRAME_BYTES);
  }

  @Benchmark
  public byte[] encode() {
    return FrameFormat.frame(MessageCodec.encode(message), Protocol.DEFAULT_MAX_FRAME_BYTES);
  }

  @Benchmark
  public Message decode() throws ProtocolException {
    FrameFormat.Header h = FrameFormat.readHeader(i -> framed[i] & 0xff, framed.length, Protocol.DEFAULT_MAX_FRAME_BYTES);
    return MessageCodec.decode(java.nio.ByteBuffer.wrap(framed, h.prefixBytes(), h.payloadBytes()));
  }
}
