package dev.strata.examples.data;

import java.util.SplittableRandom;

/**
 * Deterministic, realistic sample streams for demos and benchmarks: what a Prometheus 2.42 server
 * scraping every 15 seconds stores.
 *
 * <p>Scrape timestamps jitter. Prometheus 2.42 snaps a scrape back onto its schedule when it is
 * within 2 ms of it (the default {@code --scrape.timestamp-tolerance}), so the model is: 85% of
 * scrapes land within tolerance and are stored on schedule, 15% are late by 3 to 40 ms (slow
 * targets, GC pauses) and keep their jitter. {@link Kind#RANDOM} uses raw jitter on every scrape.
 */
public final class SyntheticSeries {

  /** The shapes of series found in typical exporters. */
  public enum Kind {
    /** A counter: increases by varying amounts per scrape, with a rare reset. */
    COUNTER,
    /** A gauge doing a random walk with two decimals (temperatures, queue lengths). */
    GAUGE,
    /** A value that never changes (build info, limits). */
    CONSTANT,
    /** A ratio in [0, 1] with three decimals (cache hit ratios, utilisation). */
    RATIO,
    /** Uniformly random 64-bit doubles: the codec's worst case. */
    RANDOM
  }

  /** Default scrape interval in milliseconds. */
  public static final long SCRAPE_INTERVAL_MS = 15_000;

  private SyntheticSeries() {}

  /**
   * Fills {@code ts} and {@code values} with {@code ts.length} samples of the given kind, starting
   * at {@code startMs}.
   */
  public static void fill(Kind kind, long seed, long startMs, long[] ts, double[] values) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long t = startMs;
    double counter = rnd.nextInt(1_000_000);
    double gauge = 20 + rnd.nextInt(60);
    double constant = 1 + rnd.nextInt(64);
    for (int i = 0; i < ts.length; i++) {
      if (kind == Kind.RANDOM) {
        ts[i] = t + rnd.nextInt(-3, 4);
      } else {
        ts[i] = rnd.nextInt(100) < 85 ? t : t + rnd.nextInt(3, 41);
      }
      t += SCRAPE_INTERVAL_MS;
      values[i] =
          switch (kind) {
            case COUNTER -> {
              if (rnd.nextInt(5000) == 0) {
                counter = 0;
              }
              counter += rnd.nextInt(0, 500);
              yield counter;
            }
            case GAUGE -> {
              gauge = Math.round((gauge + rnd.nextDouble(-0.5, 0.5)) * 100) / 100.0;
              yield gauge;
            }
            case CONSTANT -> constant;
            case RATIO -> Math.round(rnd.nextDouble() * 1000) / 1000.0;
            case RANDOM -> Double.longBitsToDouble(rnd.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL);
          };
    }
  }

  /** The realistic kinds, without {@link Kind#RANDOM}. */
  public static Kind[] realisticKinds() {
    return new Kind[] {Kind.COUNTER, Kind.GAUGE, Kind.CONSTANT, Kind.RATIO};
  }
}
