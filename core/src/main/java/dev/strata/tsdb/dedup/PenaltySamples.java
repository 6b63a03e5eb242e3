package dev.strata.tsdb.dedup;

import dev.strata.tsdb.storage.SampleIterator;

/**
 * Deduplicates two replicas of one series with Thanos's penalty algorithm ({@code
 * dedupSeriesIterator}): it reads one replica for as long as it has samples at its usual rate and
 * moves to the other only across a gap, so that the output neither mixes the two replicas'
 * scrapes (which would double the sample rate) nor keeps a gap one of them has.
 *
 * <p>Each step seeks replica A to {@code lastT + 1 + penA} and B to {@code lastT + 1 + penB},
 * where {@code lastT} is the timestamp last emitted. If one replica is exhausted the other's sample
 * is taken and its penalty reset; otherwise the earlier sample is taken, A on a tie. The replica
 * not taken gets a penalty of twice the time since {@code lastT} (a scrape interval, doubled, as
 * there is no better estimate of the interval), or {@value #INITIAL_PENALTY_MS} ms before anything
 * was emitted; the one taken gets none. So a replica is switched to only once the one being read
 * has nothing for about two of its intervals.
 *
 * <p>More than two replicas are chained pairwise: the pair of the first two is replica A of a pair
 * with the third, and so on. {@link #seek} steps with {@link #next} rather than seeking the
 * replicas directly, as Thanos does: a direct seek would skip the steps that set the penalties, and
 * the output after a seek would differ from the output read sample by sample. A pair that is a
 * replica of another pair is therefore seeked the same way, and its output is the same whoever
 * reads it.
 *
 * <p>With {@code adjustCounters} both replicas must be {@link CounterAdjustable} (a {@link
 * CounterAdjustedSamples} or another adjusting pair): when the pair switches replica, every replica
 * not exhausted is lifted to the value the pair reported before the switch. Thanos 0.34's iterator
 * starts as if it were reading B while it reports A; so when A's first sample is taken, that counts
 * as a switch and B's first sample is already held against A's first value. This is kept, so that
 * counters come out as they do from Thanos 0.34 (later versions start as if reading A).
 *
 * <p>A step allocates nothing.
 */
final class PenaltySamples implements SampleIterator, CounterAdjustable {
  /** Penalty before any sample was emitted, in milliseconds: scrape intervals are seconds long. */
  static final long INITIAL_PENALTY_MS = 5000;

  private final SampleIterator a;
  private final SampleIterator b;
  // The same replicas seen as adjustable, or null when counters are not adjusted.
  private final CounterAdjustable adjustA;
  private final CounterAdjustable adjustB;

  private boolean started;
  private boolean aOk;
  private boolean bOk;
  private long lastT = Long.MIN_VALUE;
  private long penA;
  private long penB;
  private boolean useA;
  private SampleIterator last; // the replica whose sample is reported
  private boolean onSample;

  PenaltySamples(SampleIterator a, SampleIterator b, boolean adjustCounters) {
    this.a = a;
    this.b = b;
    this.last = a;
    if (adjustCounters) {
      if (!(a instanceof CounterAdjustable) || !(b instanceof CounterAdjustable)) {
        throw new IllegalArgumentException("counter adjustment needs adjustable replicas");
      }
      this.adjustA = (CounterAdjustable) a;
      this.adjustB = (CounterAdjustable) b;
    } else {
      this.adjustA = null;
      this.adjustB = null;
    }
  }

  @Override
  public boolean next() {
    if (!started) {
      started = true;
      aOk = a.next();
      bOk = b.next();
    }
    // The value reported before this step: the reference of a counter adjustment. Read now, as
    // the seeks below move the replica that holds it.
    boolean hasReference = adjustA != null && (useA ? aOk : bOk) && (last == a ? aOk : bOk);
    double reference = hasReference ? last.v() : 0;
    boolean usedA = useA;

    if (aOk) {
      aOk = a.seek(seekTarget(penA));
    }
    if (bOk) {
      bOk = b.seek(seekTarget(penB));
    }
    if (!aOk) {
      useA = false;
      if (bOk) {
        lastT = b.t();
        last = b;
        penB = 0;
      }
      onSample = bOk;
    } else if (!bOk) {
      useA = true;
      lastT = a.t();
      last = a;
      penA = 0;
      onSample = true;
    } else {
      long ta = a.t();
      long tb = b.t();
      useA = ta <= tb;
      if (useA) {
        penB = penaltyFor(ta);
        penA = 0;
        lastT = ta;
        last = a;
      } else {
        penA = penaltyFor(tb);
        penB = 0;
        lastT = tb;
        last = b;
      }
      onSample = true;
    }
    if (hasReference && useA != usedA) {
      liftBelow(reference);
    }
    return onSample;
  }

  // Where a replica with penalty `pen` is sought; saturates rather than wrapping past the end of
  // time, which would seek backwards and read a sample twice.
  private long seekTarget(long pen) {
    long target = lastT + 1 + pen;
    return target <= lastT ? Long.MAX_VALUE : target;
  }

  // The penalty of the replica not taken when the other's sample at `t` is.
  private long penaltyFor(long t) {
    if (lastT == Long.MIN_VALUE) {
      return INITIAL_PENALTY_MS;
    }
    long delta = t - lastT; // positive: t was sought past lastT
    return delta < 0 || delta > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * delta;
  }

  @Override
  public boolean seek(long target) {
    if (onSample && last.t() >= target) {
      return true;
    }
    while (next()) {
      if (last.t() >= target) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long t() {
    return last.t();
  }

  @Override
  public double v() {
    return last.v();
  }

  @Override
  public void liftBelow(double lastEmitted) {
    if (adjustA == null) {
      return;
    }
    if (aOk) {
      adjustA.liftBelow(lastEmitted);
    }
    if (bOk) {
      adjustB.liftBelow(lastEmitted);
    }
  }
}
