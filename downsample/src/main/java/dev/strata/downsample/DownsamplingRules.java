package dev.strata.downsample;

import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.Ulid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Thanos compactor's rules for which blocks to downsample and which to delete, over block
 * metas alone, so that they apply alike to a directory of blocks ({@link DownsamplingCompactor})
 * and to a bucket.
 *
 * <ul>
 *   <li>A raw block spanning at least 40 hours gets a 5-minute copy, a 5-minute block spanning at
 *       least 10 days a 1-hour copy.
 *   <li>A block is downsampled only if some of its sources are missing from every block of the
 *       target resolution: a downsampled block keeps its input's sources, so once it exists the
 *       input is never downsampled again, even after compaction rewrote it under a new ULID.
 *   <li>A block expires once its end ({@code maxTime}, truncated to seconds) lies more than the
 *       retention of its resolution in the past; a retention of 0 keeps it for ever.
 * </ul>
 */
public final class DownsamplingRules {
  private DownsamplingRules() {}

  /** A block to downsample and the resolution to downsample it to. */
  public record Task(BlockMeta meta, long resolution) {}

  /**
   * The blocks among {@code blocks} to downsample now, in the order given, leaving out those
   * {@code excluded} says (e.g. a no-downsample mark).
   *
   * @throws IllegalStateException if a block has a resolution that is not raw, 5m or 1h
   */
  public static List<Task> tasks(Collection<BlockMeta> blocks, Predicate<BlockMeta> excluded) {
    Set<Ulid> fiveMinuteSources = new HashSet<>();
    Set<Ulid> oneHourSources = new HashSet<>();
    for (BlockMeta b : blocks) {
      long resolution = Downsampler.resolutionOf(b);
      if (resolution == Resolutions.FIVE_MINUTES) {
        fiveMinuteSources.addAll(b.compaction().sources());
      } else if (resolution == Resolutions.ONE_HOUR) {
        oneHourSources.addAll(b.compaction().sources());
      } else if (resolution != Resolutions.RAW) {
        throw new IllegalStateException(
            "block " + b.ulid() + ": unexpected downsampling resolution " + resolution + " ms");
      }
    }
    List<Task> tasks = new ArrayList<>();
    for (BlockMeta b : blocks) {
      if (excluded.test(b)) {
        continue;
      }
      long resolution = Downsampler.resolutionOf(b);
      long target = Resolutions.next(resolution);
      if (target < 0) {
        continue;
      }
      Set<Ulid> done = target == Resolutions.FIVE_MINUTES ? fiveMinuteSources : oneHourSources;
      // As in Thanos, a block whose sources are all covered (or that lists none) is done.
      if (done.containsAll(b.compaction().sources())) {
        continue;
      }
      if (b.maxTime() - b.minTime() < Resolutions.minSpanToDownsample(resolution)) {
        continue;
      }
      tasks.add(new Task(b, target));
    }
    return tasks;
  }

  /**
   * Whether {@code block} is past {@code retentionMillis}, the retention of its resolution, at
   * {@code nowMillis}; a retention of 0 keeps it.
   */
  public static boolean expired(BlockMeta block, long retentionMillis, long nowMillis) {
    if (retentionMillis == 0) {
      return false;
    }
    long end = block.maxTime() / 1000 * 1000;
    return nowMillis > end + retentionMillis;
  }
}
