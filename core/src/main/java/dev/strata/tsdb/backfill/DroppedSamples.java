package dev.strata.tsdb.backfill;

import java.util.ArrayList;
import java.util.List;

/**
 * The samples of a backfill's input that are in no block, by reason. promtool drops the same ones
 * and says nothing; a backfill reports them, so that a surprise in the input does not go unseen.
 *
 * @param outOfOrder older than an earlier sample of the same series in the same block
 * @param duplicateTimestamp the timestamp of an earlier sample of the series, with another value
 *     (the earlier sample is kept)
 * @param exactDuplicate an earlier sample of the series repeated, timestamp and value
 * @param beforeFirstBlock before the first block's start: with a negative earliest timestamp,
 *     promtool's block alignment (Go's division, which truncates towards zero) starts after it
 */
public record DroppedSamples(
    long outOfOrder, long duplicateTimestamp, long exactDuplicate, long beforeFirstBlock) {

  public static final DroppedSamples NONE = new DroppedSamples(0, 0, 0, 0);

  public long total() {
    return outOfOrder + duplicateTimestamp + exactDuplicate + beforeFirstBlock;
  }

  /**
   * One line such as {@code dropped 3 samples: 2 out of order, 1 duplicate timestamp with a
   * different value}, naming the reasons that occurred; empty if nothing was dropped.
   */
  public String summary() {
    if (total() == 0) {
      return "";
    }
    List<String> reasons = new ArrayList<>();
    add(reasons, outOfOrder, "out of order", "out of order");
    add(reasons, duplicateTimestamp, "duplicate timestamp with a different value",
        "duplicate timestamps with a different value");
    add(reasons, exactDuplicate, "exact duplicate", "exact duplicates");
    add(reasons, beforeFirstBlock, "before the first block", "before the first block");
    return "dropped " + total() + (total() == 1 ? " sample: " : " samples: ")
        + String.join(", ", reasons);
  }

  private static void add(List<String> reasons, long count, String one, String many) {
    if (count > 0) {
      reasons.add(count + " " + (count == 1 ? one : many));
    }
  }
}
