package dev.strata.downsample;

/**
 * Downsamples the raw samples of one series into AggrChunks, with Thanos's batching and stamping:
 *
 * <ul>
 *   <li>The series is cut into batches of {@code n / chunks + 1} samples, {@code chunks} from
 *       {@link Windows#targetChunkCount} (assuming one-minute input), each batch extended to the
 *       end of the window its last sample falls in, so that no window is split between chunks.
 *   <li>NaN samples are dropped from each batch after cutting (they still count for sizing and
 *       cutting, as in Thanos); a batch left empty yields no chunk.
 *   <li>Each window yields one sample per aggregate, stamped with the window's end, except that no
 *       stamp goes past the batch's last sample: the last window of a batch is stamped with that
 *       sample's time, so that a chunk never claims time beyond its data.
 *   <li>The counter aggregate starts over in every batch at the batch's first value, opens with
 *       that first raw sample and closes with the batch's last raw value repeated at the last
 *       window's timestamp; {@link CounterResets} relies on both to bridge chunks.
 * </ul>
 *
 * <p>The input arrays are the caller's, already cleaned of staleness markers, samples going back in
 * time and deleted samples. Nothing is allocated per call.
 */
final class RawDownsampler {
  private final AggrChunkBuilder builder = new AggrChunkBuilder();

  /**
   * Downsamples {@code times[0, n)} with values {@code values[0, n)} (raw IEEE bits) to {@code
   * resolution} and adds the chunks to {@code out}.
   */
  void downsample(long[] times, long[] values, int n, long resolution, OutputChunks out) {
    if (n == 0) {
      return;
    }
    int chunks =
        Windows.targetChunkCount(
            times[0], times[n - 1], Windows.ASSUMED_RAW_RESOLUTION, resolution, n);
    int batchSize = n / chunks + 1;
    int start = 0;
    while (start < n) {
      int end = Math.min(start + batchSize, n);
      long lastWindow = Windows.windowEnd(times[end - 1], resolution);
      while (end < n && times[end] <= lastWindow) {
        end++;
      }
      downsampleBatch(times, values, start, end, resolution, out);
      start = end;
    }
  }

  // One batch: windows in order, each summed in a tight loop over locals, since this runs once per
  // raw sample. The counter runs across the batch's windows, starting at its first value.
  private void downsampleBatch(
      long[] times, long[] values, int start, int end, long resolution, OutputChunks out) {
    int first = start;
    while (first < end && isNaN(values[first])) {
      first++;
    }
    if (first == end) {
      return;
    }
    int last = end - 1;
    while (isNaN(values[last])) {
      last--;
    }
    long lastT = times[last];
    AggrChunkBuilder b = builder.begin();
    double counter = Double.longBitsToDouble(values[first]);
    double previous = counter;
    b.addCounterRaw(times[first], counter);
    long windowT = lastT;
    int i = first;
    while (i <= last) {
      if (isNaN(values[i])) {
        i++;
        continue;
      }
      windowT = Math.min(Windows.windowEnd(times[i], resolution), lastT);
      int count = 0;
      double sum = 0;
      double min = Double.MAX_VALUE; // Thanos's empty window, see WindowAggregator
      double max = -Double.MAX_VALUE;
      for (; i <= last && times[i] <= windowT; i++) {
        long bits = values[i];
        if (isNaN(bits)) {
          continue;
        }
        double v = Double.longBitsToDouble(bits);
        if (i != first) {
          counter += v < previous ? v : v - previous;
        }
        previous = v;
        sum += v;
        count++;
        if (v < min) {
          min = v;
        }
        if (v > max) {
          max = v;
        }
      }
      b.addWindow(windowT, count, sum, min, max, counter);
    }
    b.addCounterRaw(windowT, Double.longBitsToDouble(values[last]));
    out.add(b);
  }

  private static boolean isNaN(long bits) {
    return (bits & 0x7fff_ffff_ffff_ffffL) > 0x7ff0_0000_0000_0000L;
  }
}
