package dev.strata.tsdb.query;

import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.tombstones.Intervals;
import java.util.Arrays;

/**
 * The samples of a series within {@code [mint, maxt]}, read from its chunks in time order, with
 * deleted samples left out.
 *
 * <p>Chunks that do not overlap are decoded one after the other, straight from the chunk
 * iterator. A group of overlapping chunks (blocks that overlap, or the head and a block) is
 * decoded whole and merged by timestamp; a timestamp present in several chunks yields one sample,
 * from the earliest-starting chunk.
 */
public final class MergedSampleIterator implements SampleIterator {
  private final SeriesChunks chunks;
  private final long mint;
  private final long maxt;
  private final XorChunkIterator it = new XorChunkIterator();

  private int nextChunk; // first chunk not yet started
  private boolean streaming; // reading `it` directly
  private Intervals deleted = Intervals.EMPTY;

  // A merged group: samples in time order.
  private long[] groupTimes = new long[0];
  private long[] groupValues = new long[0];
  private int groupSize;
  private int groupPos;

  private long t;
  private long valueBits;
  private boolean done;
  private boolean hasCurrent;

  public MergedSampleIterator(SeriesChunks chunks, long mint, long maxt) {
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public boolean next() {
    hasCurrent = advance();
    return hasCurrent;
  }

  private boolean advance() {
    while (!done) {
      if (streaming) {
        while (it.next()) {
          long ts = it.atT();
          if (ts > maxt) {
            streaming = false;
            break;
          }
          if (ts >= mint && (deleted.isEmpty() || !deleted.contains(ts))) {
            t = ts;
            valueBits = it.atValueBits();
            return true;
          }
        }
        streaming = false;
      } else if (groupPos < groupSize) {
        t = groupTimes[groupPos];
        valueBits = groupValues[groupPos];
        groupPos++;
        return true;
      }
      if (!startNextGroup()) {
        done = true;
      }
    }
    return false;
  }

  // Starts the next chunk, or the next run of overlapping chunks.
  private boolean startNextGroup() {
    int n = chunks.size();
    while (nextChunk < n && chunks.maxTime(nextChunk) < mint) {
      nextChunk++;
    }
    if (nextChunk >= n || chunks.minTime(nextChunk) > maxt) {
      return false;
    }
    int first = nextChunk;
    long groupMax = chunks.maxTime(first);
    int end = first + 1;
    while (end < n && chunks.minTime(end) <= groupMax) {
      groupMax = Math.max(groupMax, chunks.maxTime(end));
      end++;
    }
    nextChunk = end;
    if (end - first == 1) {
      chunks.source(first).decode(chunks.index(first), it);
      deleted = chunks.source(first).deleted();
      streaming = true;
      return true;
    }
    mergeGroup(first, end);
    return true;
  }

  private void mergeGroup(int first, int end) {
    groupSize = 0;
    groupPos = 0;
    for (int c = first; c < end; c++) {
      int start = groupSize;
      Intervals del = chunks.source(c).deleted();
      chunks.source(c).decode(chunks.index(c), it);
      while (it.next()) {
        long ts = it.atT();
        if (ts < mint || ts > maxt || (!del.isEmpty() && del.contains(ts))) {
          continue;
        }
        if (groupSize == groupTimes.length) {
          int cap = Math.max(256, groupSize * 2);
          groupTimes = Arrays.copyOf(groupTimes, cap);
          groupValues = Arrays.copyOf(groupValues, cap);
        }
        groupTimes[groupSize] = ts;
        groupValues[groupSize] = it.atValueBits();
        groupSize++;
      }
      if (start > 0) {
        mergeRuns(start);
      }
    }
  }

  // Merges the sorted run [start, groupSize) into the sorted prefix [0, start), dropping repeated
  // timestamps (the prefix's sample wins).
  private void mergeRuns(int start) {
    long[] times = Arrays.copyOf(groupTimes, groupSize);
    long[] values = Arrays.copyOf(groupValues, groupSize);
    int a = 0;
    int b = start;
    int out = 0;
    while (a < start || b < groupSize) {
      if (b >= groupSize || (a < start && times[a] <= times[b])) {
        if (b < groupSize && a < start && times[a] == times[b]) {
          b++;
        }
        groupTimes[out] = times[a];
        groupValues[out] = values[a];
        a++;
      } else {
        groupTimes[out] = times[b];
        groupValues[out] = values[b];
        b++;
      }
      out++;
    }
    groupSize = out;
  }

  @Override
  public boolean seek(long target) {
    if (hasCurrent && t >= target) {
      return true;
    }
    // Skip whole chunks that end before the target without decoding them.
    if (!streaming && groupPos >= groupSize) {
      while (nextChunk < chunks.size() && chunks.maxTime(nextChunk) < target) {
        nextChunk++;
      }
    }
    while (next()) {
      if (t >= target) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long t() {
    return t;
  }

  @Override
  public double v() {
    return Double.longBitsToDouble(valueBits);
  }

  /** Raw bits of the current value. */
  public long valueBits() {
    return valueBits;
  }
}
