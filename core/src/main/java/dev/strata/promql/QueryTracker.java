package dev.strata.promql;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Per-query bookkeeping: the deadline, the samples held in memory against the limit, and the
 * statistics reported with the result. Samples are counted as Prometheus counts them: the points of
 * the intermediate results alive at a time, plus the window a range function is looking at.
 */
final class QueryTracker {
  private final long deadlineNanos;
  private final long maxSamples;
  private long current;
  private long peak;
  private long series;
  private long samples;
  // The queriers' warnings, each once, in the order met.
  private final Set<String> warnings = new LinkedHashSet<>();

  QueryTracker(long deadlineNanos, long maxSamples) {
    this.deadlineNanos = deadlineNanos;
    this.maxSamples = maxSamples;
  }

  void checkDeadline() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new QueryException(
          QueryException.ErrorType.TIMEOUT, "query timed out in expression evaluation");
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new QueryException(
          QueryException.ErrorType.CANCELED, "query was canceled in expression evaluation");
    }
  }

  void warnings(List<String> more) {
    warnings.addAll(more);
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }

  void seriesLoaded(int sampleCount) {
    series++;
    samples += sampleCount;
  }

  /** Takes {@code n} more samples into memory, failing if the limit would be passed. */
  void acquire(long n) {
    current += n;
    if (current > maxSamples) {
      throw QueryException.execution(
          "query processing would load too many samples into memory in query execution");
    }
    if (current > peak) {
      peak = current;
    }
  }

  void release(long n) {
    current -= n;
  }

  long current() {
    return current;
  }

  void resetTo(long n) {
    current = n;
  }

  QueryStats stats(long evaluationNanos) {
    return new QueryStats(series, samples, peak, evaluationNanos);
  }
}
