package dev.strata.tsdb.dedup;

import java.util.ArrayList;
import java.util.List;

/**
 * The penalty algorithm as the specification states it, over lists with plain loops and indexes:
 * the reference the production iterators are checked against.
 */
final class PenaltyModel {
  private static final long INITIAL_PENALTY = 5000;

  private PenaltyModel() {}

  /**
   * The replicas deduplicated pairwise: the output of the first two is the first replica of a pair
   * with the third, and so on. A pair's output does not depend on who reads it or how (its seek
   * steps sample by sample), so the output of a pair is simply a list here.
   */
  static List<Sample> dedup(List<List<Sample>> replicas) {
    List<Sample> out = replicas.get(0);
    for (int r = 1; r < replicas.size(); r++) {
      out = pair(out, replicas.get(r));
    }
    return out;
  }

  /** Two replicas deduplicated. */
  static List<Sample> pair(List<Sample> a, List<Sample> b) {
    return pair(a, b, false);
  }

  /**
   * Two replicas deduplicated with Thanos's counter adjustment: at a switch of replica, each
   * replica not exhausted whose value is below the value reported before the step is raised by
   * the difference from then on. Before the first step the pair counts as using B while it reports
   * A's first sample.
   */
  static List<Sample> counterPair(List<Sample> a, List<Sample> b) {
    return pair(a, b, true);
  }

  private static List<Sample> pair(List<Sample> a, List<Sample> b, boolean counters) {
    List<Sample> out = new ArrayList<>();
    int ia = 0;
    int ib = 0;
    boolean aOk = !a.isEmpty();
    boolean bOk = !b.isEmpty();
    long lastT = Long.MIN_VALUE;
    long penA = 0;
    long penB = 0;
    boolean useA = false;
    boolean reportsA = true;
    double offA = 0;
    double offB = 0;
    while (true) {
      boolean hasRef = counters && (useA ? aOk : bOk) && (reportsA ? aOk : bOk);
      double ref = 0;
      if (hasRef) {
        ref = reportsA ? value(a.get(ia), offA) : value(b.get(ib), offB);
      }
      boolean usedA = useA;
      if (aOk) {
        while (ia < a.size() && a.get(ia).t() < lastT + 1 + penA) {
          ia++;
        }
        aOk = ia < a.size();
      }
      if (bOk) {
        while (ib < b.size() && b.get(ib).t() < lastT + 1 + penB) {
          ib++;
        }
        bOk = ib < b.size();
      }
      if (!aOk && !bOk) {
        return out;
      }
      if (!aOk) {
        useA = false;
        lastT = b.get(ib).t();
        penB = 0;
      } else if (!bOk) {
        useA = true;
        lastT = a.get(ia).t();
        penA = 0;
      } else {
        long ta = a.get(ia).t();
        long tb = b.get(ib).t();
        useA = ta <= tb;
        long picked = useA ? ta : tb;
        long penalty = lastT == Long.MIN_VALUE ? INITIAL_PENALTY : 2 * (picked - lastT);
        if (useA) {
          penB = penalty;
          penA = 0;
        } else {
          penA = penalty;
          penB = 0;
        }
        lastT = picked;
      }
      reportsA = useA;
      if (hasRef && useA != usedA) {
        if (aOk && ref > value(a.get(ia), offA)) {
          offA += ref - value(a.get(ia), offA);
        }
        if (bOk && ref > value(b.get(ib), offB)) {
          offB += ref - value(b.get(ib), offB);
        }
      }
      out.add(useA ? adjusted(a.get(ia), offA) : adjusted(b.get(ib), offB));
    }
  }

  private static double value(Sample s, double offset) {
    return offset == 0 || Double.isNaN(s.v()) ? s.v() : s.v() + offset;
  }

  private static Sample adjusted(Sample s, double offset) {
    return new Sample(s.t(), value(s, offset));
  }

  /**
   * What a reader gets from {@code out} after each operation of {@code ops}: -1 is a call of
   * {@code next}, any other value a seek to it (staying on a sample at or after it, else stepping
   * on). A result is the sample reached, or null when there is none.
   */
  static List<Sample> read(List<Sample> out, List<Long> ops) {
    List<Sample> results = new ArrayList<>();
    int pos = -1;
    for (long op : ops) {
      if (op == -1) {
        if (pos < out.size()) {
          pos++;
        }
      } else if (pos < 0 || pos >= out.size() || out.get(pos).t() < op) {
        do {
          pos++;
        } while (pos < out.size() && out.get(pos).t() < op);
        pos = Math.min(pos, out.size());
      }
      results.add(pos < out.size() ? out.get(pos) : null);
    }
    return results;
  }
}
