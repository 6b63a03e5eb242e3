package dev.strata.downsample;

import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.tombstones.Intervals;
import java.util.Arrays;

/**
 * A series' raw samples expanded from its XOR chunks as Thanos expands them before downsampling:
 * staleness markers are dropped, as are samples that go back in time within a chunk (negative
 * timestamps included, as in Thanos) and deleted ones. Values are kept as raw IEEE bits. The
 * arrays are reused from series to series.
 */
final class RawSamples {
  /** Prometheus's staleness marker, a NaN with this exact payload. */
  static final long STALE_NAN_BITS = 0x7ff0_0000_0000_0002L;

  long[] times = new long[1024];
  long[] values = new long[1024];
  int size;

  void clear() {
    size = 0;
  }

  /** Appends the samples {@code it} yields, cleaned; {@code it} is positioned on a chunk. */
  void addChunk(XorChunkIterator it, Intervals deleted) {
    int need = size + it.numSamples();
    if (times.length < need) {
      times = Arrays.copyOf(times, Math.max(need, times.length * 2));
      values = Arrays.copyOf(values, times.length);
    }
    int n = size;
    long lastT = 0;
    while (it.next()) {
      long t = it.atT();
      long bits = it.atValueBits();
      if (bits == STALE_NAN_BITS || t < lastT) {
        continue;
      }
      lastT = t;
      if (!deleted.isEmpty() && deleted.contains(t)) {
        continue;
      }
      times[n] = t;
      values[n] = bits;
      n++;
    }
    size = n;
  }
}
