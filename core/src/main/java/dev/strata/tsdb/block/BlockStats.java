package dev.strata.tsdb.block;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The {@code stats} of a block's {@code meta.json}. Prometheus 2.42 writes the four counts below,
 * each left out when zero; later versions add per-type sample counts, which end up in {@code extra}
 * and are written back after the four.
 *
 * @param numSamples samples in the block
 * @param numSeries series in the block
 * @param numChunks chunks in the block
 * @param numTombstones deletion intervals in the block's tombstones file; the compactor rewrites a
 *     block once they are many
 * @param extra fields Prometheus 2.42 does not know, in file order; kept so that a rewrite does not
 *     lose them
 */
public record BlockStats(
    long numSamples,
    long numSeries,
    long numChunks,
    long numTombstones,
    Map<String, JsonNode> extra) {

  /** All counts zero. */
  public static final BlockStats EMPTY = new BlockStats(0, 0, 0, 0);

  /**
   * @throws IllegalArgumentException if a count is negative (they are unsigned in the file)
   */
  public BlockStats {
    requireCount("numSamples", numSamples);
    requireCount("numSeries", numSeries);
    requireCount("numChunks", numChunks);
    requireCount("numTombstones", numTombstones);
    extra = JsonFields.copy(extra);
    for (String name : List.of("numSamples", "numSeries", "numChunks", "numTombstones")) {
      if (extra.containsKey(name)) {
        throw new IllegalArgumentException("extra fields repeat " + name);
      }
    }
  }

  public BlockStats(long numSamples, long numSeries, long numChunks, long numTombstones) {
    this(numSamples, numSeries, numChunks, numTombstones, Map.of());
  }

  /** These stats with {@code numTombstones} replaced, as after a deletion. */
  public BlockStats withNumTombstones(long count) {
    return new BlockStats(numSamples, numSeries, numChunks, count, extra);
  }

  private static void requireCount(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " " + value + " is negative");
    }
  }
}
