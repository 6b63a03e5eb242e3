package dev.strata.downsample;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunks.ChunkBatch;
import dev.strata.tsdb.encoding.ByteSink;
import java.util.Arrays;

/**
 * The downsampled chunks of one series, collected before the series is written: the chunk
 * writer needs all of a series' chunks at once to place segment boundaries as Prometheus does.
 * All chunk bytes share one growing buffer, reused from series to series, so a series costs no
 * allocation once the buffer has reached the largest series' size.
 */
final class OutputChunks {
  private final ByteSink bytes = new ByteSink(4096);
  private int[] offsets = new int[16];
  private int[] lengths = new int[16];
  private long[] minTimes = new long[16];
  private long[] maxTimes = new long[16];
  private int[] samples = new int[16];
  private int size;

  OutputChunks clear() {
    bytes.clear();
    size = 0;
    return this;
  }

  /** Encodes the builder's chunk and adds it. */
  void add(AggrChunkBuilder chunk) {
    int at = bytes.length();
    int length = chunk.encodeTo(bytes);
    if (size == offsets.length) {
      int n = size * 2;
      offsets = Arrays.copyOf(offsets, n);
      lengths = Arrays.copyOf(lengths, n);
      minTimes = Arrays.copyOf(minTimes, n);
      maxTimes = Arrays.copyOf(maxTimes, n);
      samples = Arrays.copyOf(samples, n);
    }
    offsets[size] = at;
    lengths[size] = length;
    minTimes[size] = chunk.minTime();
    maxTimes[size] = chunk.maxTime();
    samples[size] = chunk.numSamples();
    size++;
  }

  int size() {
    return size;
  }

  long minTime(int i) {
    return minTimes[i];
  }

  long maxTime(int i) {
    return maxTimes[i];
  }

  /** The chunk's sample count as Thanos counts it (windows of the count aggregate). */
  int numSamples(int i) {
    return samples[i];
  }

  /** Chunk {@code i}'s bytes are {@code bytes()[offset(i), offset(i) + length(i))}. */
  byte[] bytes() {
    return bytes.array();
  }

  int offset(int i) {
    return offsets[i];
  }

  int length(int i) {
    return lengths[i];
  }

  /** Adds every chunk to {@code batch}, which must be written before this collector changes. */
  void addTo(ChunkBatch batch) {
    byte[] array = bytes.array();
    for (int i = 0; i < size; i++) {
      batch.add(ChunkEncoding.AGGREGATE, array, offsets[i], lengths[i]);
    }
  }
}
