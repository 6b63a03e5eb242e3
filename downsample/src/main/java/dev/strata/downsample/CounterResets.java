package dev.strata.downsample;

/**
 * Turns a sequence of counter chunks (raw counters, or the counter aggregate of downsampled
 * chunks) into one monotonic series, the way Thanos reads counters for {@code rate} and {@code
 * increase}.
 *
 * <p>Each downsampled counter chunk starts with the batch's first raw value and ends with a repeat
 * of its last timestamp carrying the batch's last raw value. Comparing one chunk's last raw value
 * with the next chunk's first raw value is what detects a reset between chunks; the repeated
 * timestamp is how the last raw value is recognised, so it is remembered but not emitted. NaN
 * values are skipped; a sample that goes back in time is dropped.
 *
 * <p>Feed samples in chunk order with {@link #add}; it says whether the sample produced an output
 * sample, which is then ({@link #lastT()}, {@link #total()}).
 */
public final class CounterResets {
  private boolean started;
  private long lastT;
  private double lastV;
  private double total;

  /** Starts over for another series. */
  public CounterResets clear() {
    started = false;
    lastT = 0;
    lastV = 0;
    total = 0;
    return this;
  }

  /**
   * Takes the next input sample.
   *
   * @return true if it yields an output sample at {@link #lastT()} with value {@link #total()}
   */
  public boolean add(long t, double v) {
    if (Double.isNaN(v)) {
      return false;
    }
    if (!started) {
      started = true;
      lastT = t;
      lastV = v;
      total = v;
      return true;
    }
    if (t > lastT) {
      total += v >= lastV ? v - lastV : v;
      lastT = t;
      lastV = v;
      return true;
    }
    if (t == lastT) {
      lastV = v; // the chunk's true last raw value
    }
    return false;
  }

  /** Timestamp of the last output sample. */
  public long lastT() {
    return lastT;
  }

  /** The counter with resets removed, as of {@link #lastT()}. */
  public double total() {
    return total;
  }

  /** The last raw value seen (including a chunk's repeated last sample). */
  public double lastRawValue() {
    return lastV;
  }

  /** Whether any sample was taken since {@link #clear()}. */
  public boolean started() {
    return started;
  }
}
