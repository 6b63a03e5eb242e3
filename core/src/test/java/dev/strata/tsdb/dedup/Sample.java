package dev.strata.tsdb.dedup;

import dev.strata.tsdb.storage.SampleIterator;
import java.util.ArrayList;
import java.util.List;

/** A sample, and sample lists read as {@link SampleIterator}s, for the deduplication tests. */
record Sample(long t, double v) {

  @Override
  public boolean equals(Object o) {
    // Values compare by their bits: the tests check NaN payloads (the staleness marker) too.
    return o instanceof Sample s
        && s.t == t
        && Double.doubleToRawLongBits(s.v) == Double.doubleToRawLongBits(v);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(t) * 31 + Long.hashCode(Double.doubleToRawLongBits(v));
  }

  @Override
  public String toString() {
    return t + "=" + v;
  }

  /** Samples at {@code ts}, each valued {@code tag + t / 1000}: the value tells the replica. */
  static List<Sample> at(double tag, long... ts) {
    List<Sample> out = new ArrayList<>();
    for (long t : ts) {
      out.add(new Sample(t, tag + t / 1000.0));
    }
    return out;
  }

  /** Samples every {@code step} ms from {@code from} to {@code to}, valued as {@link #at}. */
  static List<Sample> every(double tag, long from, long to, long step) {
    List<Sample> out = new ArrayList<>();
    for (long t = from; t <= to; t += step) {
      out.add(new Sample(t, tag + t / 1000.0));
    }
    return out;
  }

  /**
   * The samples as an iterator that does the simplest thing: seeks step by step. It is what the
   * tests' replicas are read with, independently of the production {@code ArraySamples}.
   */
  static SampleIterator iterator(List<Sample> samples) {
    return new SampleIterator() {
      private int i = -1;

      @Override
      public boolean next() {
        if (i < samples.size()) {
          i++;
        }
        return i < samples.size();
      }

      @Override
      public boolean seek(long t) {
        if (i < 0) {
          i = 0;
        }
        while (i < samples.size() && samples.get(i).t() < t) {
          i++;
        }
        return i < samples.size();
      }

      @Override
      public long t() {
        return samples.get(i).t();
      }

      @Override
      public double v() {
        return samples.get(i).v();
      }
    };
  }

  /** Every sample left in {@code it}. */
  static List<Sample> drain(SampleIterator it) {
    List<Sample> out = new ArrayList<>();
    while (it.next()) {
      out.add(new Sample(it.t(), it.v()));
    }
    return out;
  }
}
