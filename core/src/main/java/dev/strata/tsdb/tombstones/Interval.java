package dev.strata.tsdb.tombstones;

/**
 * A closed range of timestamps {@code [minTime, maxTime]} (milliseconds) whose samples are deleted.
 * Closed, unlike block ranges, because Prometheus's delete API takes inclusive bounds.
 *
 * @throws IllegalArgumentException if {@code minTime > maxTime}
 */
public record Interval(long minTime, long maxTime) {
  public Interval {
    if (minTime > maxTime) {
      throw new IllegalArgumentException(
          "interval [" + minTime + ", " + maxTime + "] ends before it starts");
    }
  }

  /** Whether {@code t} lies in the interval, bounds included. */
  public boolean contains(long t) {
    return t >= minTime && t <= maxTime;
  }

  @Override
  public String toString() {
    return "[" + minTime + ", " + maxTime + "]";
  }
}
