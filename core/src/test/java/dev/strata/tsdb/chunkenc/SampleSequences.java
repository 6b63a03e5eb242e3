package dev.strata.tsdb.chunkenc;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Arbitrary sample sequences for codec properties: strictly increasing times, any value bits. */
final class SampleSequences {

  /** Timestamps and raw value bits of one sequence. */
  record Seq(long[] ts, long[] bits) {
    int size() {
      return ts.length;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Seq[n=" + ts.length);
      for (int i = 0; i < Math.min(ts.length, 8); i++) {
        sb.append(", ").append(ts[i]).append('=').append(Long.toHexString(bits[i]));
      }
      return sb.append(ts.length > 8 ? ", ...]" : "]").toString();
    }
  }

  static final long STALE_NAN = 0x7ff0000000000002L;

  private static final long[] SPECIAL_BITS = {
    STALE_NAN,
    0x7ff8000000000000L, // canonical NaN
    0x7ff8dead_beef0001L, // quiet NaN with payload
    0xfff0000000000001L, // negative signalling NaN
    Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
    Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
    Double.doubleToRawLongBits(-0.0),
    0L,
    Double.doubleToRawLongBits(Double.MIN_VALUE),
    Double.doubleToRawLongBits(Double.MAX_VALUE),
    Double.doubleToRawLongBits(1.0),
    -1L,
  };

  private SampleSequences() {}

  static Arbitrary<Long> gaps() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just(15_000L)),
        Tuple.of(5, Arbitraries.longs().between(14_990, 15_010)),
        Tuple.of(3, Arbitraries.longs().between(1, 100)),
        Tuple.of(2, Arbitraries.longs().between(1, 1L << 34)),
        Tuple.of(1, Arbitraries.longs().between(1, 1L << 50)));
  }

  static Arbitrary<Long> valueBits() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs()),
        Tuple.of(2, Arbitraries.of(Arrays.stream(SPECIAL_BITS).boxed().toList())),
        Tuple.of(
            3,
            Arbitraries.integers()
                .between(-100_000, 100_000)
                .map(i -> Double.doubleToRawLongBits(i / 100.0))),
        Tuple.of(2, Arbitraries.of(0x4059000000000000L, 0x4059400000000000L, 0x3ff0000000000000L)));
  }

  static Arbitrary<Seq> sequences(int maxSize) {
    Arbitrary<Long> start =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-(1L << 52), 1L << 52),
            Arbitraries.longs().between(1_600_000_000_000L, 1_800_000_000_000L));
    Arbitrary<List<Long>> gapList = gaps().list().ofMaxSize(Math.max(0, maxSize - 1));
    Arbitrary<List<Long>> values = valueBits().list().ofMaxSize(maxSize);
    return Combinators.combine(start, gapList, values)
        .as(
            (s, g, v) -> {
              int n = Math.min(g.size() + 1, v.size());
              long[] ts = new long[n];
              long[] bits = new long[n];
              long t = s;
              for (int i = 0; i < n; i++) {
                if (i > 0) {
                  t += g.get(i - 1);
                }
                ts[i] = t;
                bits[i] = v.get(i);
              }
              return new Seq(ts, bits);
            });
  }
}
