package dev.strata.tsdb.dedup;

import dev.strata.tsdb.storage.SampleIterator;

/**
 * The decorator the deduplication puts on each replica of a counter when the query applies {@code
 * rate}, {@code irate}, {@code increase} or {@code resets} (Thanos's {@code
 * counterErrAdjustSeriesIterator}): it adds to the replica's values what the switches between
 * replicas have found missing.
 *
 * <p>NaN values are passed on unchanged, bits included: adding to Prometheus's staleness marker
 * would turn it into an ordinary NaN, which the engine no longer recognises as a marker.
 */
final class CounterAdjustedSamples implements SampleIterator, CounterAdjustable {
  private final SampleIterator in;
  private double adjustment;

  CounterAdjustedSamples(SampleIterator in) {
    this.in = in;
  }

  @Override
  public boolean next() {
    return in.next();
  }

  @Override
  public boolean seek(long t) {
    return in.seek(t);
  }

  @Override
  public long t() {
    return in.t();
  }

  @Override
  public double v() {
    double v = in.v();
    return adjustment == 0 || Double.isNaN(v) ? v : v + adjustment;
  }

  @Override
  public void liftBelow(double lastEmitted) {
    double v = v();
    if (lastEmitted > v) {
      adjustment += lastEmitted - v;
    }
  }
}
