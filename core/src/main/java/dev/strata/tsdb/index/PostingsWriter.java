package dev.strata.tsdb.index;

import static dev.strata.tsdb.index.IndexFormat.SERIES;
import static dev.strata.tsdb.index.IndexFormat.SERIES_ALIGNMENT;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.encoding.UnsignedLongs;
import java.io.IOException;

/**
 * Writes the postings section from the series section already in the file, as Prometheus does,
 * rather than from lists kept while series were added: memory then holds the refs of one batch of
 * label pairs at a time, not every ref of the block.
 *
 * <p>The writer counted the series of every pair, so each list's size, and hence its place in
 * the file, is known before a single ref is read. Pairs are cut, in file order, into batches of
 * at most {@code budget} refs (a pair with more refs than that forms a batch alone); each batch is
 * one pass over the series section that drops every ref of the batch into its slot of one int
 * array, after which the batch's lists are written out in order. The first pass also streams the
 * list of all series, which needs no memory at all.
 */
final class PostingsWriter {
  private final IndexOutput out;
  private final ByteSource file;
  private final long seriesStart;
  private final long seriesEnd;
  private final long seriesCount;
  private final long[] keys; // pairs in file order
  private final int[] counts; // refs of each pair
  private final long budget;
  private int[] labelRefs = new int[64];

  PostingsWriter(
      IndexOutput out, ByteSource file, long seriesStart, long seriesEnd, long seriesCount,
      long[] keys, int[] counts, long budget) {
    this.out = out;
    this.file = file;
    this.seriesStart = seriesStart;
    this.seriesEnd = seriesEnd;
    this.seriesCount = seriesCount;
    this.keys = keys;
    this.counts = counts;
    this.budget = budget;
  }

  /** Size in the file of a list of {@code n} refs: length, count, refs, CRC. */
  static long listBytes(long n) {
    return 12 + 4 * n;
  }

  /** Writes the list of all series, then the list of every pair. */
  void write() throws IOException {
    int[] ids = new int[largestBatch()];
    int[] starts = new int[1];
    int[] fill = new int[1];
    int from = 0;
    boolean first = true;
    do {
      int to = batchEnd(from);
      int n = to - from;
      if (starts.length < n + 1) {
        starts = new int[n + 1];
        fill = new int[n + 1];
      }
      // Pair i's refs go to ids[starts[i - from], starts[i - from + 1]); fill is the next free slot.
      int at = 0;
      for (int i = 0; i < n; i++) {
        starts[i] = at;
        fill[i] = at;
        at += counts[from + i];
      }
      starts[n] = at;
      scan(from, to, ids, starts, fill, first);
      first = false;
      ByteSink buf = out.buffer();
      for (int i = 0; i < n; i++) {
        if (fill[i] != starts[i + 1]) {
          throw new IllegalStateException(
              "series section re-read gave " + (fill[i] - starts[i]) + " refs for a label pair"
                  + " that was counted " + counts[from + i] + " times");
        }
        int count = counts[from + i];
        buf.putBE32(4 + 4 * count);
        out.beginCrc();
        buf.putBE32(count);
        for (int k = starts[i]; k < starts[i + 1]; k++) {
          buf.putBE32(ids[k]);
          if ((k & 0xFFF) == 0) {
            out.maybeFlush();
          }
        }
        out.putCrc();
        out.maybeFlush();
      }
      from = to;
    } while (from < keys.length);
  }

  private int largestBatch() {
    long largest = 0;
    for (int from = 0; from < keys.length; ) {
      int to = batchEnd(from);
      long sum = 0;
      for (int i = from; i < to; i++) {
        sum += counts[i];
      }
      largest = Math.max(largest, sum);
      from = to;
    }
    return (int) largest;
  }

  // End (exclusive) of the batch of pairs starting at `from`: as many as fit the budget, at least one.
  private int batchEnd(int from) {
    if (from >= keys.length) {
      return from;
    }
    long sum = counts[from];
    int to = from + 1;
    while (to < keys.length && sum + counts[to] <= budget) {
      sum += counts[to++];
    }
    return to;
  }

  // One pass over the series: refs of pairs [from, to) into ids; with `all`, also writes the list
  // of all series.
  private void scan(int from, int to, int[] ids, int[] starts, int[] fill, boolean all) throws IOException {
    ByteSink buf = out.buffer();
    if (all) {
      buf.putBE32((int) (4 + 4 * seriesCount));
      out.beginCrc();
      buf.putBE32((int) seriesCount);
    }
    boolean any = from < to;
    long lo = any ? keys[from] : 0;
    long hi = any ? keys[to - 1] : 0;
    int hiName = PairCounts.nameRef(hi);
    ByteCursor c = new ByteCursor(file, SERIES, 64 << 10);
    long pos = IndexFormat.align(seriesStart, SERIES_ALIGNMENT);
    long seen = 0;
    if (pos < seriesEnd) {
      c.range(pos, seriesEnd, SERIES);
    }
    while (pos < seriesEnd) {
      c.position(pos); // within the window most of the time: no copy
      int len = c.readUvarintLength();
      long bodyEnd = c.position() + len;
      int id = (int) (pos / SERIES_ALIGNMENT);
      seen++;
      if (all) {
        buf.putBE32(id);
        if ((seen & 0xFFF) == 0) {
          out.maybeFlush();
        }
      }
      if (any) {
        int k = c.readUvarintLength();
        if (labelRefs.length < 2 * k) {
          labelRefs = new int[2 * k];
        }
        for (int j = 0; j < 2 * k; j++) {
          labelRefs[j] = c.readUvarint32();
        }
        for (int j = 0; j < k; j++) {
          int name = labelRefs[2 * j];
          if (Integer.compareUnsigned(name, hiName) > 0) {
            break; // names ascend; the rest are past the batch
          }
          long key = PairCounts.key(name, labelRefs[2 * j + 1]);
          if (Long.compareUnsigned(key, lo) < 0 || Long.compareUnsigned(key, hi) > 0) {
            continue;
          }
          int i = UnsignedLongs.indexOf(keys, from, to, key);
          if (i >= 0) {
            int slot = fill[i - from]++;
            if (slot >= starts[i - from + 1]) {
              throw new IllegalStateException("more refs for a label pair than were counted");
            }
            ids[slot] = id;
          }
        }
      }
      pos = IndexFormat.align(bodyEnd + IndexFormat.CRC_SIZE, SERIES_ALIGNMENT);
    }
    if (seen != seriesCount) {
      throw new IllegalStateException(
          "series section re-read gave " + seen + " series, but " + seriesCount + " were added");
    }
    if (all) {
      out.putCrc();
      out.maybeFlush();
    }
  }
}
