package dev.strata.downsample;

/**
 * Statistics of the current window (count, sum, min, max) and a counter running over every value
 * seen since the last {@link #clear()}, with resets removed: a value below the previous one is a
 * counter reset, so the whole value counts as increase. This is Thanos's float aggregator,
 * including its choice of {@code ±Double.MAX_VALUE} as the empty window's min and max (a window of
 * only {@code +Inf} values therefore reports {@code Double.MAX_VALUE} as its min, as in Thanos).
 */
final class WindowAggregator {
  int count;
  double sum;
  double min;
  double max;
  double counter;
  private double last;
  private long total;

  WindowAggregator() {
    clear();
  }

  /** Forgets everything, counter included: the start of a new batch. */
  void clear() {
    total = 0;
    counter = 0;
    last = 0;
    startWindow();
  }

  /** Starts a new window; the counter keeps running. */
  void startWindow() {
    count = 0;
    sum = 0;
    min = Double.MAX_VALUE;
    max = -Double.MAX_VALUE;
  }

  void add(double v) {
    if (total > 0) {
      counter += v < last ? v : v - last;
    } else {
      counter = v;
    }
    last = v;
    sum += v;
    count++;
    total++;
    if (v < min) {
      min = v;
    }
    if (v > max) {
      max = v;
    }
  }

  /** Values added since {@link #clear()}. */
  long total() {
    return total;
  }
}
