package dev.strata.downsample;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which blocks answer a time range when the same data may exist at several resolutions: blocks of
 * the first resolution in an order of preference cover what they cover, and the gaps between them
 * go to the next resolution, and so on. Thanos's store prefers the coarsest resolution a query
 * allows ({@link #coarsestFirst}); a plain server prefers raw data and falls back on aggregates
 * only where raw data is gone ({@link #finestFirst}).
 */
public final class ResolutionChoice {
  private ResolutionChoice() {}

  /** Raw, then 5 m, then 1 h: exact answers wherever raw data remains. */
  public static List<Long> finestFirst() {
    return List.of(Resolutions.RAW, Resolutions.FIVE_MINUTES, Resolutions.ONE_HOUR);
  }

  /** The coarsest resolution up to {@code maxResolution} first, then finer ones (Thanos). */
  public static List<Long> coarsestFirst(long maxResolution) {
    List<Long> order = new ArrayList<>();
    for (long r : List.of(Resolutions.ONE_HOUR, Resolutions.FIVE_MINUTES, Resolutions.RAW)) {
      if (r <= maxResolution) {
        order.add(r);
      }
    }
    return order;
  }

  /**
   * The blocks that answer {@code [mint, maxt]} (inclusive): every block of {@code order.get(0)}
   * overlapping the range, then for each gap the blocks of the next resolution, recursively.
   * Resolutions not in {@code order} are never chosen.
   */
  public static List<Block> select(List<Block> blocks, long mint, long maxt, List<Long> order) {
    return select(blocks, Block::meta, mint, maxt, order);
  }

  /**
   * {@link #select(List, long, long, List)} over anything that has a block's meta.json (a block in
   * a bucket, say), whose meta {@code metaOf} gives; returns the chosen elements.
   */
  public static <T> List<T> select(List<T> blocks, Function<? super T, BlockMeta> metaOf,
      long mint, long maxt, List<Long> order) {
    int n = blocks.size();
    long[] minTimes = new long[n];
    long[] maxTimes = new long[n];
    long[] resolutions = new long[n];
    for (int i = 0; i < n; i++) {
      BlockMeta meta = metaOf.apply(blocks.get(i));
      minTimes[i] = meta.minTime();
      maxTimes[i] = meta.maxTime();
      resolutions[i] = Downsampler.resolutionOf(meta);
    }
    List<T> chosen = new ArrayList<>();
    for (int i : select(minTimes, maxTimes, resolutions, mint, maxt, order)) {
      chosen.add(blocks.get(i));
    }
    return chosen;
  }

  /** {@link #select} over blocks given as {@code [minTimes[i], maxTimes[i])} ranges; indexes. */
  static List<Integer> select(long[] minTimes, long[] maxTimes, long[] resolutions, long mint,
      long maxt, List<Long> order) {
    // A coarser block can span several gaps between finer ones: it is chosen once.
    Set<Integer> chosen = new LinkedHashSet<>();
    select(minTimes, maxTimes, resolutions, mint, maxt, order, 0, chosen);
    return List.copyOf(chosen);
  }

  private static void select(long[] minTimes, long[] maxTimes, long[] resolutions, long mint,
      long maxt, List<Long> order, int level, Set<Integer> chosen) {
    if (level >= order.size() || mint > maxt) {
      return;
    }
    long resolution = order.get(level);
    List<Integer> here = new ArrayList<>();
    for (int i = 0; i < minTimes.length; i++) {
      // A block covers [minTime, maxTime): its meta's maxTime is exclusive.
      if (resolutions[i] == resolution && minTimes[i] <= maxt && maxTimes[i] > mint) {
        here.add(i);
      }
    }
    here.sort(Comparator.comparingLong(i -> minTimes[i]));
    long next = mint; // the first millisecond not yet covered at this level
    for (int i : here) {
      if (minTimes[i] > next) {
        select(minTimes, maxTimes, resolutions, next, minTimes[i] - 1, order, level + 1, chosen);
      }
      chosen.add(i);
      next = Math.max(next, maxTimes[i]);
    }
    if (next <= maxt) {
      select(minTimes, maxTimes, resolutions, next, maxt, order, level + 1, chosen);
    }
  }
}
