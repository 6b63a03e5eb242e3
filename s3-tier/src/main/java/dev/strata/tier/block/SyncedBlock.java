package dev.strata.tier.block;

import dev.strata.tsdb.block.BlockMeta;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete block found in a bucket: its meta.json, its markers, and the total size of its
 * objects.
 */
public record SyncedBlock(
    BlockMeta meta, Optional<DeletionMark> deletionMark, boolean noCompact, long sizeBytes) {
  public SyncedBlock {
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(deletionMark, "deletionMark");
  }
}
