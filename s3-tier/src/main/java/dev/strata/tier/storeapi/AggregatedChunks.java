package dev.strata.tier.storeapi;

import dev.strata.downsample.AggrChunkEncoder;
import dev.strata.downsample.AggregateCursor;
import dev.strata.downsample.Aggregation;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.ChunkListSamples;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.tombstones.Intervals;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks of one remote series holding downsampled data, as XOR chunks of one {@link
 * Aggregation}: what a local downsampled block gives for the same aggregation. The received
 * aggregate parts are put back together as downsampled chunks and read through the downsample
 * module's {@link AggregateCursor}, so counters (resets removed across chunks) and averages (sum
 * divided by count) come out exactly as they do locally. Raw chunks in the same series pass
 * through (for the counter, through the same reset removal).
 *
 * <p>The chunks are built when this is made; a chunk lacking the part the aggregation needs
 * fails then with an error naming the series.
 */
final class AggregatedChunks implements ChunkIterator, ChunkListSamples.Chunks {
  private final List<byte[]> data = new ArrayList<>();
  private final List<long[]> ranges = new ArrayList<>();
  private int i = -1;

  private AggregatedChunks() {}

  /**
   * @throws IllegalStateException if a chunk lacks the aggregate {@code aggregation} reads
   */
  static AggregatedChunks of(
      Labels series, List<AggrChunk> chunks, Aggregation aggregation, String source) {
    AggregateCursor cursor =
        new AggregateCursor(new OneSeries(series, chunks), aggregation, source);
    AggregatedChunks out = new AggregatedChunks();
    if (!cursor.next()) {
      return out;
    }
    for (int c = 0; c < cursor.chunkCount(); c++) {
      byte[] bytes = new byte[cursor.chunkLength(c)];
      cursor.readChunk(c, bytes);
      // A counter chunk's times are its samples' (see AggregateCursor); others keep the chunk's.
      out.data.add(bytes);
      out.ranges.add(new long[] {cursor.chunkMinTime(c), cursor.chunkMaxTime(c)});
    }
    return out;
  }

  @Override
  public boolean next() {
    return ++i < data.size();
  }

  @Override
  public long minTime() {
    return ranges.get(i)[0];
  }

  @Override
  public long maxTime() {
    return ranges.get(i)[1];
  }

  /** Always XOR: the aggregation's samples, whatever the received chunks were. */
  @Override
  public byte encoding() {
    return ChunkEncoding.XOR;
  }

  @Override
  public byte[] bytes() {
    return data.get(i);
  }

  @Override
  public SampleIterator samples() {
    return decode(i);
  }

  @Override
  public int size() {
    return data.size();
  }

  @Override
  public long minTime(int index) {
    return ranges.get(index)[0];
  }

  @Override
  public long maxTime(int index) {
    return ranges.get(index)[1];
  }

  @Override
  public SampleIterator decode(int index) {
    byte[] bytes = data.get(index);
    return SampleIterator.of(new XorChunkIterator().reset(bytes, 0, bytes.length));
  }

  /**
   * The received chunks of one series as a cursor: raw chunks as they are, aggregate-only chunks
   * re-framed as downsampled chunks (encoding {@code AGGREGATE}) with the parts received.
   */
  private static final class OneSeries implements ChunkSeriesCursor {
    private final Labels labels;
    private final List<AggrChunk> chunks;
    private final byte[][] bytes;
    private final byte[] encodings;
    private boolean started;

    OneSeries(Labels labels, List<AggrChunk> chunks) {
      this.labels = labels;
      this.chunks = chunks;
      this.bytes = new byte[chunks.size()][];
      this.encodings = new byte[chunks.size()];
      AggrChunkEncoder encoder = new AggrChunkEncoder();
      ByteSink sink = new ByteSink(256);
      for (int c = 0; c < chunks.size(); c++) {
        AggrChunk chunk = chunks.get(c);
        if (chunk.hasRaw()) {
          encodings[c] = ProtoChunks.toPrometheus(chunk.getRaw().getType());
          bytes[c] = chunk.getRaw().getData().toByteArray();
          continue;
        }
        sink.clear();
        encoder.begin(sink);
        // In AggrType order, the order of a downsampled chunk's entries.
        part(encoder, chunk.hasCount(), chunk.getCount());
        part(encoder, chunk.hasSum(), chunk.getSum());
        part(encoder, chunk.hasMin(), chunk.getMin());
        part(encoder, chunk.hasMax(), chunk.getMax());
        part(encoder, chunk.hasCounter(), chunk.getCounter());
        encoder.finish();
        encodings[c] = ChunkEncoding.AGGREGATE;
        bytes[c] = sink.toByteArray();
      }
    }

    private static void part(AggrChunkEncoder encoder, boolean present, Chunk part) {
      if (!present || part.getData().isEmpty()) {
        encoder.absent();
        return;
      }
      byte[] b = part.getData().toByteArray();
      encoder.add(ProtoChunks.toPrometheus(part.getType()), b, 0, b.length);
    }

    @Override
    public boolean next() {
      if (started) {
        return false;
      }
      started = true;
      return true;
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public int chunkCount() {
      return chunks.size();
    }

    @Override
    public long chunkMinTime(int c) {
      return chunks.get(c).getMinTime();
    }

    @Override
    public long chunkMaxTime(int c) {
      return chunks.get(c).getMaxTime();
    }

    @Override
    public byte chunkEncoding(int c) {
      return encodings[c];
    }

    @Override
    public int chunkLength(int c) {
      return bytes[c].length;
    }

    @Override
    public int chunkVisibleSamples(int c) {
      return -1;
    }

    @Override
    public void readChunk(int c, byte[] dst) {
      System.arraycopy(bytes[c], 0, dst, 0, bytes[c].length);
    }

    @Override
    public void decode(int c, XorChunkIterator it) {
      it.reset(bytes[c], 0, bytes[c].length);
    }

    @Override
    public Intervals deleted() {
      return Intervals.EMPTY;
    }
  }
}
