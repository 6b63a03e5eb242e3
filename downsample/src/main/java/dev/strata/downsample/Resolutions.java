package dev.strata.downsample;

import dev.strata.tsdb.block.ThanosMeta;

/**
 * The downsampling levels Thanos knows, in milliseconds as {@code meta.json} records them, and
 * when a block is worth downsampling to the next level.
 */
public final class Resolutions {
  /** Raw data. */
  public static final long RAW = ThanosMeta.RESOLUTION_RAW;

  /** 5 minutes. */
  public static final long FIVE_MINUTES = ThanosMeta.RESOLUTION_5M;

  /** 1 hour. */
  public static final long ONE_HOUR = ThanosMeta.RESOLUTION_1H;

  /**
   * A raw block is downsampled to 5 minutes once it spans at least 40 hours, enough for about two
   * chunks of 5-minute windows; shorter blocks wait to be compacted into longer ones.
   */
  public static final long MIN_SPAN_FOR_FIVE_MINUTES = 40L * 3_600_000;

  /** A 5-minute block is downsampled to 1 hour once it spans at least 10 days. */
  public static final long MIN_SPAN_FOR_ONE_HOUR = 10L * 24 * 3_600_000;

  private Resolutions() {}

  /**
   * Parses {@code raw}, {@code 0}, {@code 5m} or {@code 1h}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static long parse(String text) {
    return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "raw", "0", "0s" -> RAW;
      case "5m", "300000" -> FIVE_MINUTES;
      case "1h", "60m", "3600000" -> ONE_HOUR;
      default -> throw new IllegalArgumentException(
          "unknown resolution \"" + text + "\"; expected raw, 5m or 1h");
    };
  }

  /** {@code raw}, {@code 5m}, {@code 1h}, or the milliseconds followed by {@code ms}. */
  public static String format(long resolution) {
    if (resolution == RAW) {
      return "raw";
    }
    if (resolution == FIVE_MINUTES) {
      return "5m";
    }
    if (resolution == ONE_HOUR) {
      return "1h";
    }
    return resolution + "ms";
  }

  /** Whether {@code resolution} is one of the three levels. */
  public static boolean isKnown(long resolution) {
    return resolution == RAW || resolution == FIVE_MINUTES || resolution == ONE_HOUR;
  }

  /** The level a block of {@code resolution} is downsampled to next; -1 for 1 hour. */
  public static long next(long resolution) {
    if (resolution == RAW) {
      return FIVE_MINUTES;
    }
    if (resolution == FIVE_MINUTES) {
      return ONE_HOUR;
    }
    return -1;
  }

  /** The span a block of {@code resolution} needs before it is downsampled; -1 if never. */
  public static long minSpanToDownsample(long resolution) {
    if (resolution == RAW) {
      return MIN_SPAN_FOR_FIVE_MINUTES;
    }
    if (resolution == FIVE_MINUTES) {
      return MIN_SPAN_FOR_ONE_HOUR;
    }
    return -1;
  }
}
