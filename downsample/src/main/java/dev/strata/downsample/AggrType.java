package dev.strata.downsample;

/**
 * The five aggregates a downsampled chunk holds, in the order Thanos stores them: the ordinal is
 * the aggregate's position in an AggrChunk, so the order must never change.
 */
public enum AggrType {
  /** Samples in the window. */
  COUNT,
  /** Sum of the window's values. */
  SUM,
  /** Smallest value of the window. */
  MIN,
  /** Largest value of the window. */
  MAX,
  /**
   * Running counter with resets removed, plus each chunk's first and last raw values, from which
   * {@code rate} and {@code increase} are computed across chunks.
   */
  COUNTER;

  /** Number of aggregates in an AggrChunk. */
  public static final int COUNT_OF_TYPES = 5;

  private static final AggrType[] VALUES = values();

  /** The aggregate at {@code index} in an AggrChunk. */
  public static AggrType of(int index) {
    return VALUES[index];
  }

  /** The lower-case name Thanos uses ({@code count}, {@code sum}, ...). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
