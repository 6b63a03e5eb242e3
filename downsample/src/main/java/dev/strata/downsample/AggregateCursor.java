package dev.strata.downsample;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import dev.strata.tsdb.tombstones.Intervals;
import java.util.Arrays;

/**
 * The series of a downsampled block with each chunk replaced by one aggregation's XOR chunk; see
 * {@link DownsampledBlockReader}. The replacement chunks of a series are built when the cursor
 * moves to it, into one buffer reused from series to series.
 *
 * <p>Count, sum, min and max are the stored aggregate chunks, copied. The counter is read through
 * {@link CounterResets} across all the series' selected chunks, as Thanos reads it, and re-encoded:
 * its chunks then cover the times of the samples they hold, which include each chunk's first raw
 * sample before its first window. The average divides each window's sum by its count.
 *
 * <p>Public so that readers of downsampled chunks from elsewhere (a StoreAPI client, say) read
 * them exactly as a local block is read: they present their chunks as a cursor (XOR or
 * {@code AGGREGATE} chunks) and wrap it in this one.
 */
public final class AggregateCursor implements ChunkSeriesCursor {
  private final ChunkSeriesCursor inner;
  private final Aggregation aggregation;
  private final String description;
  private final AggrChunkDecoder decoder = new AggrChunkDecoder();
  private final XorChunkIterator it = new XorChunkIterator();
  private final XorChunkIterator it2 = new XorChunkIterator();
  private final XorChunkAppender appender = new XorChunkAppender();
  private final HeapChunkBuffer buffer = new HeapChunkBuffer(512);
  private final CounterResets resets = new CounterResets();
  private final ByteSink arena = new ByteSink(4096);
  private byte[] scratch = new byte[512];

  // Chunk views of the current series: innerIndex >= 0 passes the inner chunk through; otherwise
  // the chunk is arena[offset, offset + length).
  private int[] innerIndex = new int[16];
  private int[] offsets = new int[16];
  private int[] lengths = new int[16];
  private long[] minTimes = new long[16];
  private long[] maxTimes = new long[16];
  private int count;

  /**
   * @param description names the source in error messages, e.g. a block or an endpoint
   */
  public AggregateCursor(ChunkSeriesCursor inner, Aggregation aggregation, String description) {
    this.inner = inner;
    this.aggregation = aggregation;
    this.description = description;
  }

  @Override
  public boolean next() {
    while (inner.next()) {
      build();
      if (count > 0) {
        return true;
      }
    }
    return false;
  }

  private void build() {
    count = 0;
    arena.clear();
    resets.clear();
    for (int i = 0; i < inner.chunkCount(); i++) {
      byte encoding = inner.chunkEncoding(i);
      if (encoding == ChunkEncoding.XOR) {
        if (aggregation == Aggregation.COUNTER) {
          inner.decode(i, it);
          counterChunk(it);
        } else {
          passThrough(i);
        }
      } else if (encoding == ChunkEncoding.AGGREGATE) {
        int length = inner.chunkLength(i);
        if (scratch.length < length) {
          scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        inner.readChunk(i, scratch);
        decoder.reset(scratch, 0, length, where(i));
        aggregateChunk(i);
      } else {
        throw new UnsupportedOperationException(
            where(i) + ": chunk encoding " + ChunkEncoding.name(encoding)
                + " cannot be read as an aggregate");
      }
    }
  }

  private String where(int i) {
    return description + ", series " + inner.labels() + ", chunk " + i;
  }

  private void aggregateChunk(int i) {
    switch (aggregation) {
      case COUNTER -> {
        require(AggrType.COUNTER, i);
        decoder.open(AggrType.COUNTER, it);
        counterChunk(it);
      }
      case AVERAGE -> averageChunk(i);
      default -> {
        AggrType type = aggregation.stored();
        require(type, i);
        decoder.open(type, it); // checks the encoding
        int at = arena.length();
        arena.putBytes(decoder.bytes(), decoder.offset(type), decoder.length(type));
        addView(-1, at, decoder.length(type), inner.chunkMinTime(i), inner.chunkMaxTime(i));
      }
    }
  }

  private void require(AggrType type, int i) {
    if (!decoder.has(type)) {
      throw new IllegalStateException(where(i) + ": the " + type.label() + " aggregate is absent");
    }
  }

  private void counterChunk(XorChunkIterator samples) {
    appender.start(buffer);
    while (samples.next()) {
      if (resets.add(samples.atT(), samples.atV())) {
        appender.append(resets.lastT(), resets.total());
      }
    }
    finishEncoded();
  }

  private void averageChunk(int i) {
    require(AggrType.COUNT, i);
    require(AggrType.SUM, i);
    decoder.open(AggrType.COUNT, it);
    decoder.open(AggrType.SUM, it2);
    appender.start(buffer);
    while (true) {
      boolean hasCount = it.next();
      boolean hasSum = it2.next();
      if (hasCount != hasSum) {
        throw new IllegalStateException(where(i) + ": the count and sum aggregates hold "
            + it.numSamples() + " and " + it2.numSamples() + " samples");
      }
      if (!hasCount) {
        break;
      }
      if (it.atT() != it2.atT()) {
        throw new IllegalStateException(where(i) + ": count sample at " + it.atT()
            + " is paired with a sum sample at " + it2.atT());
      }
      appender.append(it.atT(), it2.atV() / it.atV());
    }
    finishEncoded();
  }

  private void finishEncoded() {
    if (appender.numSamples() == 0) {
      return;
    }
    int at = arena.length();
    int length = appender.byteLength();
    arena.putBytes(buffer.array(), 0, length);
    addView(-1, at, length, appender.minTime(), appender.maxTime());
  }

  private void passThrough(int i) {
    addView(i, 0, 0, inner.chunkMinTime(i), inner.chunkMaxTime(i));
  }

  private void addView(int index, int offset, int length, long minTime, long maxTime) {
    if (count == innerIndex.length) {
      int n = count * 2;
      innerIndex = Arrays.copyOf(innerIndex, n);
      offsets = Arrays.copyOf(offsets, n);
      lengths = Arrays.copyOf(lengths, n);
      minTimes = Arrays.copyOf(minTimes, n);
      maxTimes = Arrays.copyOf(maxTimes, n);
    }
    innerIndex[count] = index;
    offsets[count] = offset;
    lengths[count] = length;
    minTimes[count] = minTime;
    maxTimes[count] = maxTime;
    count++;
  }

  @Override
  public Labels labels() {
    return inner.labels();
  }

  @Override
  public int chunkCount() {
    return count;
  }

  @Override
  public long chunkMinTime(int i) {
    return minTimes[i];
  }

  @Override
  public long chunkMaxTime(int i) {
    return maxTimes[i];
  }

  @Override
  public byte chunkEncoding(int i) {
    return ChunkEncoding.XOR;
  }

  @Override
  public int chunkLength(int i) {
    return innerIndex[i] >= 0 ? inner.chunkLength(innerIndex[i]) : lengths[i];
  }

  @Override
  public int chunkVisibleSamples(int i) {
    return innerIndex[i] >= 0 ? inner.chunkVisibleSamples(innerIndex[i]) : -1;
  }

  @Override
  public void readChunk(int i, byte[] dst) {
    if (innerIndex[i] >= 0) {
      inner.readChunk(innerIndex[i], dst);
    } else {
      System.arraycopy(arena.array(), offsets[i], dst, 0, lengths[i]);
    }
  }

  @Override
  public void decode(int i, XorChunkIterator target) {
    if (innerIndex[i] >= 0) {
      inner.decode(innerIndex[i], target);
    } else {
      target.reset(arena.array(), offsets[i], lengths[i]);
    }
  }

  @Override
  public Intervals deleted() {
    return inner.deleted();
  }
}
