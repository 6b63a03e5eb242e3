package dev.strata.tsdb.backfill;

import dev.strata.tsdb.block.BlockMeta;
import java.util.List;

/**
 * What a backfill did.
 *
 * @param blocks the blocks written, in time order
 * @param dropped the input's samples that are in none of them
 */
public record BackfillResult(List<BlockMeta> blocks, DroppedSamples dropped) {
  public BackfillResult {
    blocks = List.copyOf(blocks);
  }
}
