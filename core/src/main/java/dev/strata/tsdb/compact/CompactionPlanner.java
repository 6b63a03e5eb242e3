package dev.strata.tsdb.compact;

import dev.strata.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which blocks to compact together next, with Prometheus 2.42's leveled rules:
 *
 * <ol>
 *   <li>blocks that overlap in time are merged first (vertical compaction);
 *   <li>otherwise, leaving out the newest block, the first group of blocks that falls in one
 *       aligned window of the next larger range (ranges grow ×3: 2 h, 6 h, 18 h, ...) is merged if
 *       it fills the window, or if the window ends before the newest block starts;
 *   <li>otherwise a large enough block with more than 5% of its series tombstoned is rewritten.
 * </ol>
 */
public final class CompactionPlanner {
  private final long[] ranges;

  /** {@code ranges}: ascending block ranges, the first being the head's block range. */
  public CompactionPlanner(long[] ranges) {
    this.ranges = ranges.clone();
  }

  /**
   * Prometheus's default ranges: {@code steps} ranges from {@code minSize}, each {@code
   * stepSize} times the previous, limited to {@code maxSize}.
   */
  public static long[] exponentialRanges(long minSize, int steps, int stepSize, long maxSize) {
    List<Long> out = new ArrayList<>();
    long r = minSize;
    for (int i = 0; i < steps; i++) {
      if (r > maxSize) {
        break;
      }
      out.add(r);
      r *= stepSize;
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** The blocks to compact into one next, or an empty list. */
  public List<BlockMeta> plan(List<BlockMeta> blocks) {
    List<BlockMeta> sorted = new ArrayList<>(blocks);
    sorted.sort(Comparator.comparingLong(BlockMeta::minTime));
    List<BlockMeta> overlapping = overlapping(sorted);
    if (!overlapping.isEmpty()) {
      return overlapping;
    }
    if (sorted.isEmpty()) {
      return List.of();
    }
    // The newest block stays alone for a full block range, so it can be backed up piecewise.
    List<BlockMeta> candidates = sorted.subList(0, sorted.size() - 1);
    List<BlockMeta> leveled = leveled(candidates);
    if (!leveled.isEmpty()) {
      return leveled;
    }
    for (int i = candidates.size() - 1; i >= 0; i--) {
      BlockMeta m = candidates.get(i);
      long series = m.stats().numSeries();
      long tombstones = m.stats().numTombstones();
      if (m.maxTime() - m.minTime() < ranges[ranges.length / 2]) {
        // A small block is rewritten only when entirely deleted.
        if (tombstones > 0 && tombstones >= series) {
          return List.of(m);
        }
        break;
      }
      if ((double) tombstones / (series + 1) > 0.05) {
        return List.of(m);
      }
    }
    return List.of();
  }

  /** The first run of blocks that overlap each other, if any; {@code sorted} by first time. */
  public static List<BlockMeta> overlapping(List<BlockMeta> sorted) {
    List<BlockMeta> run = new ArrayList<>();
    if (sorted.size() < 2) {
      return run;
    }
    long globalMax = sorted.get(0).maxTime();
    for (int i = 1; i < sorted.size(); i++) {
      BlockMeta m = sorted.get(i);
      if (m.minTime() < globalMax) {
        if (run.isEmpty()) {
          run.add(sorted.get(i - 1));
        }
        run.add(m);
      } else if (!run.isEmpty()) {
        break;
      }
      globalMax = Math.max(globalMax, m.maxTime());
    }
    return run;
  }

  private List<BlockMeta> leveled(List<BlockMeta> blocks) {
    if (ranges.length < 2 || blocks.isEmpty()) {
      return List.of();
    }
    long highTime = blocks.get(blocks.size() - 1).minTime();
    for (int r = 1; r < ranges.length; r++) {
      long range = ranges[r];
      for (List<BlockMeta> group : splitByRange(blocks, range)) {
        if (group.stream().anyMatch(m -> m.compaction().failed())) {
          continue;
        }
        long mint = group.get(0).minTime();
        long maxt = group.get(group.size() - 1).maxTime();
        if ((maxt - mint == range || maxt <= highTime) && group.size() > 1) {
          return group;
        }
      }
    }
    return List.of();
  }

  /**
   * Groups consecutive blocks that lie inside the same aligned window of width {@code range};
   * blocks reaching past their window are left out.
   */
  public static List<List<BlockMeta>> splitByRange(List<BlockMeta> blocks, long range) {
    List<List<BlockMeta>> groups = new ArrayList<>();
    int i = 0;
    while (i < blocks.size()) {
      BlockMeta m = blocks.get(i);
      long t0 = Math.floorDiv(m.minTime(), range) * range;
      if (m.maxTime() > t0 + range) {
        i++;
        continue;
      }
      List<BlockMeta> group = new ArrayList<>();
      while (i < blocks.size()) {
        BlockMeta b = blocks.get(i);
        if (b.maxTime() > t0 + range) {
          break;
        }
        group.add(b);
        i++;
      }
      if (!group.isEmpty()) {
        groups.add(group);
      }
    }
    return groups;
  }
}
