package dev.strata.tsdb.head;

import dev.strata.tsdb.chunkenc.ArenaChunkBuffer;
import dev.strata.tsdb.labels.Labels;
import java.util.Arrays;

/**
 * What a reader copied out of a {@link MemSeries} under its lock: the completed chunks it may read
 * (slot handles stay valid while the reader is registered with the head) and a private copy of the
 * open chunk. Each chunk carries the number of samples the reader may decode from it, which is
 * less than the chunk holds when later commits are not visible to the reader. Reused across series.
 */
final class SeriesSnapshot {
  // Per chunk: handle (-1 for the open chunk copy), length, visible samples, min time, max time.
  private long[] handles = new long[8];
  private int[] lengths = new int[8];
  private int[] samples = new int[8];
  private long[] minTimes = new long[8];
  private long[] maxTimes = new long[8];
  private int count;

  private byte[] openChunk = new byte[256];
  private Labels labels;
  private long ref;

  void reset(MemSeries series) {
    count = 0;
    labels = series.labels;
    ref = series.ref;
  }

  void addCompleted(long handle, int length, int visible, long minTime, long maxTime) {
    add(handle, length, visible, minTime, maxTime);
  }

  void addOpen(ArenaChunkBuffer buffer, int length, int visible, long minTime, long maxTime) {
    if (openChunk.length < length) {
      openChunk = new byte[Math.max(length, openChunk.length * 2)];
    }
    buffer.read(0, openChunk, 0, length);
    add(-1, length, visible, minTime, maxTime);
  }

  private void add(long handle, int length, int visible, long minTime, long maxTime) {
    if (count == handles.length) {
      int n = count * 2;
      handles = Arrays.copyOf(handles, n);
      lengths = Arrays.copyOf(lengths, n);
      samples = Arrays.copyOf(samples, n);
      minTimes = Arrays.copyOf(minTimes, n);
      maxTimes = Arrays.copyOf(maxTimes, n);
    }
    handles[count] = handle;
    lengths[count] = length;
    samples[count] = visible;
    minTimes[count] = minTime;
    maxTimes[count] = maxTime;
    count++;
  }

  Labels labels() {
    return labels;
  }

  long ref() {
    return ref;
  }

  int chunkCount() {
    return count;
  }

  /** Slot of chunk {@code i}, or -1 if it is the open chunk, whose bytes are {@link #openChunk()}. */
  long handle(int i) {
    return handles[i];
  }

  int length(int i) {
    return lengths[i];
  }

  int visibleSamples(int i) {
    return samples[i];
  }

  long minTime(int i) {
    return minTimes[i];
  }

  long maxTime(int i) {
    return maxTimes[i];
  }

  byte[] openChunk() {
    return openChunk;
  }
}
