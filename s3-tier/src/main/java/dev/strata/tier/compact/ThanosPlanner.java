package dev.strata.tier.compact;

import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.compact.CompactionPlanner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Thanos's planner ({@code tsdbBasedPlanner}): Prometheus's leveled rules over Thanos's ranges,
 * with blocks marked no-compact left out without opening gaps.
 *
 * <ol>
 *   <li>Blocks that overlap are merged first (they reach here only with vertical compaction on).
 *   <li>Otherwise, leaving out the newest block, the first run of blocks in one aligned window of
 *       2h, 8h, 2d or 14d is merged if it fills the window or ends before the (second) newest
 *       block starts. A no-compact block stays in the run for that decision, as if it were to be
 *       merged, and the run is then cut at it: the blocks before or after it are merged instead,
 *       so that no compacted block spans it.
 *   <li>Otherwise a large block with more than 5% of its series deleted is rewritten.
 * </ol>
 */
final class ThanosPlanner {
  private final long[] ranges;

  /** {@code ranges}: the unit (1h in Thanos) then the ranges blocks are compacted to. */
  ThanosPlanner(long[] ranges) {
    this.ranges = ranges.clone();
  }

  /** The blocks to merge next, or an empty list; {@code noCompact} blocks are never chosen. */
  List<BlockMeta> plan(List<BlockMeta> blocks, Predicate<Ulid> noCompact) {
    List<BlockMeta> all = new ArrayList<>(blocks);
    all.sort(Comparator.comparingLong(BlockMeta::minTime).thenComparing(BlockMeta::ulid));
    List<BlockMeta> compactable = all.stream().filter(b -> !noCompact.test(b.ulid())).toList();
    List<BlockMeta> overlapping = CompactionPlanner.overlapping(compactable);
    if (!overlapping.isEmpty()) {
      return overlapping;
    }
    if (compactable.isEmpty()) {
      return List.of();
    }
    // The newest block stays alone for a full block range, as in Prometheus.
    List<BlockMeta> candidates = all.subList(0, all.size() - 1);
    List<BlockMeta> leveled = leveled(candidates, noCompact);
    if (!leveled.isEmpty()) {
      return leveled;
    }
    for (int i = candidates.size() - 1; i >= 0; i--) {
      BlockMeta m = candidates.get(i);
      if (noCompact.test(m.ulid())) {
        continue;
      }
      long series = m.stats().numSeries();
      long tombstones = m.stats().numTombstones();
      if (m.maxTime() - m.minTime() < ranges[ranges.length / 2]) {
        if (tombstones > 0 && tombstones >= series) {
          return List.of(m); // a small block is rewritten only when wholly deleted
        }
        break;
      }
      if ((double) tombstones / (series + 1) > 0.05) {
        return List.of(m);
      }
    }
    return List.of();
  }

  private List<BlockMeta> leveled(List<BlockMeta> blocks, Predicate<Ulid> noCompact) {
    if (ranges.length < 2 || blocks.isEmpty()) {
      return List.of();
    }
    long highTime = blocks.get(blocks.size() - 1).minTime();
    for (int r = 1; r < ranges.length; r++) {
      long range = ranges[r];
      for (List<BlockMeta> part : CompactionPlanner.splitByRange(blocks, range)) {
        if (part.size() < 2 || part.stream().anyMatch(m -> m.compaction().failed())) {
          continue;
        }
        long mint = part.get(0).minTime();
        long maxt = part.get(part.size() - 1).maxTime();
        if (maxt - mint != range && maxt > highTime) {
          continue;
        }
        int runStart = 0;
        for (int i = 0; i < part.size(); i++) {
          if (noCompact.test(part.get(i).ulid())) {
            if (i - runStart > 1) {
              return part.subList(runStart, i);
            }
            runStart = i + 1;
          }
        }
        if (part.size() - runStart > 1) {
          return part.subList(runStart, part.size());
        }
      }
    }
    return List.of();
  }
}
