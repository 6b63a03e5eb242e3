package dev.strata.tier.storeapi;

import dev.strata.tsdb.labels.Xxh64;
import java.util.Arrays;

/**
 * The raw chunks of one series as references into the arrays they were read into, each with its
 * hash and its size as an {@code AggrChunk} message: what {@link SeriesFrameWriter} writes a frame
 * from, without a message per chunk. Not thread-safe.
 */
final class ChunkRefs {
  private long[] minTimes = new long[16];
  private long[] maxTimes = new long[16];
  private long[] hashes = new long[16];
  private byte[][] data = new byte[16][];
  private int[] offsets = new int[16];
  private int[] lengths = new int[16];
  private byte[] types = new byte[16]; // the StoreAPI's Chunk.Encoding numbers
  private int[] sizes = new int[16];
  private int size;

  int size() {
    return size;
  }

  /** Empties it for reuse, dropping its references to the chunks' arrays. */
  void clear() {
    Arrays.fill(data, 0, size, null);
    size = 0;
  }

  /** Adds a chunk; {@code type} is the StoreAPI's encoding number. */
  void add(long minTime, long maxTime, byte type, byte[] bytes, int offset, int length) {
    if (size == minTimes.length) {
      grow();
    }
    minTimes[size] = minTime;
    maxTimes[size] = maxTime;
    types[size] = type;
    data[size] = bytes;
    offsets[size] = offset;
    lengths[size] = length;
    long hash = Xxh64.hash(bytes, offset, length);
    hashes[size] = hash;
    sizes[size] = SeriesFrameWriter.rawChunkSize(minTime, maxTime, type, length, hash);
    size++;
  }

  /** Adds chunk {@code i} of {@code other}. */
  void add(ChunkRefs other, int i) {
    add(other.minTimes[i], other.maxTimes[i], other.types[i], other.data[i], other.offsets[i],
        other.lengths[i]);
  }

  long minTime(int i) {
    return minTimes[i];
  }

  long maxTime(int i) {
    return maxTimes[i];
  }

  byte type(int i) {
    return types[i];
  }

  byte[] data(int i) {
    return data[i];
  }

  int offset(int i) {
    return offsets[i];
  }

  int length(int i) {
    return lengths[i];
  }

  long hash(int i) {
    return hashes[i];
  }

  /** The serialized size of chunk {@code i} as an {@code AggrChunk}, without its tag. */
  int messageSize(int i) {
    return sizes[i];
  }

  /** Whether chunk {@code i} and chunk {@code j} of {@code other} are the same message. */
  boolean sameChunk(int i, ChunkRefs other, int j) {
    return minTimes[i] == other.minTimes[j] && maxTimes[i] == other.maxTimes[j]
        && types[i] == other.types[j] && hashes[i] == other.hashes[j]
        && Arrays.equals(data[i], offsets[i], offsets[i] + lengths[i],
            other.data[j], other.offsets[j], other.offsets[j] + other.lengths[j]);
  }

  private void grow() {
    int n = size * 2;
    minTimes = Arrays.copyOf(minTimes, n);
    maxTimes = Arrays.copyOf(maxTimes, n);
    hashes = Arrays.copyOf(hashes, n);
    data = Arrays.copyOf(data, n);
    offsets = Arrays.copyOf(offsets, n);
    lengths = Arrays.copyOf(lengths, n);
    types = Arrays.copyOf(types, n);
    sizes = Arrays.copyOf(sizes, n);
  }
}
