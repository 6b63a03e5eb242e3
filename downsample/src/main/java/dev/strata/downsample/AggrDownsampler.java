package dev.strata.downsample;

import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.encoding.ByteArraySource;
import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.tombstones.Intervals;
import java.util.Arrays;

/**
 * Downsamples one series of an already downsampled block (5m to 1h) the way Thanos does:
 *
 * <ul>
 *   <li>Input chunks are never split: they are grouped, {@code chunks / target} at a time with
 *       {@code target} from {@link Windows#targetChunkCount} over the series' range and window
 *       count, and each group becomes one output chunk. Cutting only at chunk boundaries keeps
 *       every counter chunk's first and last raw values true values of the raw series.
 *   <li>Count, sum, min and max are each re-aggregated per window from the corresponding input
 *       aggregate: counts and sums add up, minima and maxima take the min and max. Windows are
 *       stamped as in {@link RawDownsampler}, clamped to the group's last input timestamp of that
 *       aggregate.
 *   <li>The counter aggregate is rebuilt from the group's counter chunks read through {@link
 *       CounterResets} (resets between and within chunks removed), then framed again with the
 *       group's first raw value in front and its last raw value repeated at the end.
 *   <li>An aggregate absent from every chunk of a group stays absent.
 * </ul>
 *
 * <p>XOR chunks found in a downsampled block (which Thanos tolerates) are first downsampled to 5
 * minutes on their own and then treated like the block's other chunks.
 */
final class AggrDownsampler {
  private static final AggrType[] WINDOW_AGGREGATES = {
    AggrType.COUNT, AggrType.SUM, AggrType.MIN, AggrType.MAX
  };

  private final AggrChunkDecoder decoder = new AggrChunkDecoder();
  private final XorChunkIterator it = new XorChunkIterator();
  private final WindowAggregator aggregator = new WindowAggregator();
  private final AggrChunkBuilder builder = new AggrChunkBuilder();
  private final CounterResets resets = new CounterResets();
  private final RawDownsampler rawDownsampler = new RawDownsampler();
  private final OutputChunks converted = new OutputChunks();

  // The series' input chunks; a converted chunk has a null source and its index in `converted` as
  // position until finish() resolves it.
  private ByteSource[] sources = new ByteSource[16];
  private long[] positions = new long[16];
  private int[] lengths = new int[16];
  private long[] minTimes = new long[16];
  private long[] maxTimes = new long[16];
  private int size;
  private long windows;
  private Intervals deleted = Intervals.EMPTY;

  // Samples of one aggregate of one group.
  private long[] times = new long[1024];
  private double[] values = new double[1024];
  private final RawSamples rawSamples = new RawSamples();

  /**
   * Starts a series whose samples at {@code deleted} timestamps are to be left out (applied to
   * each aggregate's samples, since an aggregated block has no raw samples left to delete).
   */
  AggrDownsampler begin(Intervals deleted) {
    this.deleted = deleted;
    Arrays.fill(sources, 0, size, null);
    size = 0;
    windows = 0;
    converted.clear();
    return this;
  }

  /** Adds the series' next chunk, an AggrChunk at {@code position} in {@code source}. */
  void addAggrChunk(ByteSource source, long position, int length, long minTime, long maxTime) {
    decoder.reset(source, position, length);
    windows += decoder.numSamples(AggrType.COUNT);
    add(source, position, length, minTime, maxTime);
  }

  /**
   * Adds the series' next chunk, an XOR chunk at {@code position} in {@code source}: its samples
   * are downsampled to 5 minutes first. An empty chunk is skipped.
   */
  void addRawChunk(ByteSource source, long position, int length) {
    it.reset(source, position, length);
    rawSamples.clear();
    rawSamples.addChunk(it, deleted);
    int before = converted.size();
    rawDownsampler.downsample(
        rawSamples.times, rawSamples.values, rawSamples.size, Resolutions.FIVE_MINUTES, converted);
    for (int k = before; k < converted.size(); k++) {
      windows += converted.numSamples(k);
      add(null, k, converted.length(k), converted.minTime(k), converted.maxTime(k));
    }
  }

  private void add(ByteSource source, long position, int length, long minTime, long maxTime) {
    if (size == sources.length) {
      int n = size * 2;
      sources = Arrays.copyOf(sources, n);
      positions = Arrays.copyOf(positions, n);
      lengths = Arrays.copyOf(lengths, n);
      minTimes = Arrays.copyOf(minTimes, n);
      maxTimes = Arrays.copyOf(maxTimes, n);
    }
    sources[size] = source;
    positions[size] = position;
    lengths[size] = length;
    minTimes[size] = minTime;
    maxTimes[size] = maxTime;
    size++;
  }

  /** Downsamples the chunks added since {@link #begin()} from {@code inRes} to {@code outRes}. */
  void finish(long inRes, long outRes, OutputChunks out) {
    if (size == 0) {
      return;
    }
    if (converted.size() > 0) {
      ByteArraySource scratch =
          new ByteArraySource(converted.bytes(), "chunk downsampled from raw samples");
      for (int i = 0; i < size; i++) {
        if (sources[i] == null) {
          int k = (int) positions[i];
          sources[i] = scratch;
          positions[i] = converted.offset(k);
        }
      }
    }
    int target = Windows.targetChunkCount(minTimes[0], maxTimes[size - 1], inRes, outRes, windows);
    // Thanos divides without a floor of one; more target chunks than input chunks would never
    // end there, so each group takes at least one chunk here.
    int groupSize = Math.max(1, size / target);
    for (int from = 0; from < size; from += groupSize) {
      downsampleGroup(from, Math.min(from + groupSize, size), outRes, out);
    }
  }

  private void downsampleGroup(int from, int to, long resolution, OutputChunks out) {
    AggrChunkBuilder b = builder.begin();
    for (AggrType type : WINDOW_AGGREGATES) {
      int n = collect(type, from, to);
      if (n > 0) {
        aggregate(type, n, resolution, b);
      }
    }
    int n = collectCounter(from, to);
    if (n > 0) {
      b.addCounterRaw(times[0], values[0]);
      long lastT = aggregate(AggrType.COUNTER, n, resolution, b);
      b.addCounterRaw(lastT, resets.lastRawValue());
    }
    if (!b.isEmpty()) {
      out.add(b);
    }
  }

  // Samples of one aggregate over chunks [from, to): per chunk, staleness markers and samples
  // going back in time are dropped, as Thanos expands each chunk.
  private int collect(AggrType type, int from, int to) {
    int n = 0;
    for (int c = from; c < to; c++) {
      decoder.reset(sources[c], positions[c], lengths[c]);
      if (!decoder.open(type, it)) {
        continue;
      }
      long lastT = 0;
      while (it.next()) {
        long t = it.atT();
        long bits = it.atValueBits();
        if (bits == RawSamples.STALE_NAN_BITS || t < lastT) {
          continue;
        }
        lastT = t;
        if (!isDeleted(t)) {
          n = append(n, t, Double.longBitsToDouble(bits));
        }
      }
    }
    return n;
  }

  // The group's counter samples with resets removed.
  private int collectCounter(int from, int to) {
    resets.clear();
    int n = 0;
    long lastT = 0;
    for (int c = from; c < to; c++) {
      decoder.reset(sources[c], positions[c], lengths[c]);
      if (!decoder.open(AggrType.COUNTER, it)) {
        continue;
      }
      while (it.next()) {
        if (isDeleted(it.atT()) || !resets.add(it.atT(), it.atV())) {
          continue;
        }
        long t = resets.lastT();
        double v = resets.total();
        if (Double.doubleToRawLongBits(v) == RawSamples.STALE_NAN_BITS || t < lastT) {
          continue;
        }
        n = append(n, t, v);
        lastT = t;
      }
    }
    return n;
  }

  private boolean isDeleted(long t) {
    return !deleted.isEmpty() && deleted.contains(t);
  }

  private int append(int n, long t, double v) {
    if (n == times.length) {
      times = Arrays.copyOf(times, n * 2);
      values = Arrays.copyOf(values, n * 2);
    }
    times[n] = t;
    values[n] = v;
    return n + 1;
  }

  // Re-aggregates times/values[0, n) per window into the builder; returns the last window's stamp.
  private long aggregate(AggrType type, int n, long resolution, AggrChunkBuilder b) {
    long lastT = times[n - 1];
    WindowAggregator a = aggregator;
    a.clear();
    long windowT = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long t = times[i];
      if (t > windowT) {
        if (i != 0) {
          b.addWindow(type, windowT, value(type, a));
        }
        a.startWindow();
        windowT = Math.min(Windows.windowEnd(t, resolution), lastT);
      }
      a.add(values[i]);
    }
    b.addWindow(type, windowT, value(type, a));
    return windowT;
  }

  private static double value(AggrType type, WindowAggregator a) {
    return switch (type) {
      case COUNT, SUM -> a.sum;
      case MIN -> a.min;
      case MAX -> a.max;
      case COUNTER -> a.counter;
    };
  }
}
