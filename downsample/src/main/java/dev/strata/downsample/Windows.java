package dev.strata.downsample;

/**
 * Thanos's arithmetic for downsampling windows and chunk sizes. Kept exact, integer divisions and
 * float truncations included, because it decides where chunks are cut and which timestamp each
 * aggregated sample gets, and both must match what Thanos writes for the same input.
 */
public final class Windows {
  /** Aggregated samples per output chunk that Thanos aims to stay under. */
  static final int TARGET_SAMPLES_PER_CHUNK = 140;

  /** Resolution Thanos assumes for raw input when sizing chunks: one minute. */
  static final long ASSUMED_RAW_RESOLUTION = 60_000;

  private Windows() {}

  /**
   * The last timestamp of the window of {@code resolution} that {@code t} falls into: windows are
   * aligned to the epoch and closed, {@code [k * res, (k + 1) * res - 1]}, so that a window never
   * reaches into the next block's half-open range.
   */
  public static long windowEnd(long t, long resolution) {
    return t - t % resolution + resolution - 1;
  }

  /**
   * How many chunks a series spanning {@code [mint, maxt]} with {@code count} input samples at
   * {@code inRes} should be cut into at {@code outRes}: the samples the range could yield at the
   * output resolution, scaled down by how densely the input fills the range, divided into chunks of
   * at most {@value #TARGET_SAMPLES_PER_CHUNK} on average.
   */
  public static int targetChunkCount(long mint, long maxt, long inRes, long outRes, long count) {
    double maxSamples = (double) ((maxt - mint) / outRes);
    double fullness = count / ((double) (maxt - mint) / (double) inRes);
    if (fullness > 1) {
      fullness = 1; // also when maxt == mint: count / 0.0 is +Inf
    }
    long expected = (long) (maxSamples * fullness) + 1;
    // Thanos counts x up from 1 while expected / x > 140 (integer division); the first x that
    // stops the loop is expected / 141 + 1.
    return (int) (expected / (TARGET_SAMPLES_PER_CHUNK + 1) + 1);
  }
}
