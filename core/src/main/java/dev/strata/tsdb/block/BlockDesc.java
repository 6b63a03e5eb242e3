package dev.strata.tsdb.block;

import java.util.Objects;

/**
 * A block named by its ULID and time range: an entry of {@code compaction.parents}, recording which
 * blocks were merged into a compacted one.
 *
 * @param maxTime exclusive, as in {@link BlockMeta}
 */
public record BlockDesc(Ulid ulid, long minTime, long maxTime) {
  public BlockDesc {
    Objects.requireNonNull(ulid, "ulid");
  }

  /** The ULID and time range of {@code meta}. */
  public static BlockDesc of(BlockMeta meta) {
    return new BlockDesc(meta.ulid(), meta.minTime(), meta.maxTime());
  }
}
