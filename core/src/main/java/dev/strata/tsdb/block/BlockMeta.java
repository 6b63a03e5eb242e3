package dev.strata.tsdb.block;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a block's {@code meta.json} says: identity, time range, counts and history. {@link
 * BlockMetaFile} reads and writes it.
 *
 * <p>The JSON trees in {@code extra} maps (here and in the other meta records) are copies taken at
 * construction; Jackson nodes cannot be frozen, so treat them as read-only.
 *
 * @param ulid the block's identity; also its directory name
 * @param minTime the first timestamp the block may hold (milliseconds)
 * @param maxTime one past the last timestamp it may hold: ranges are half-open, so adjacent blocks
 *     share the boundary value
 * @param stats counts of samples, series, chunks and tombstones
 * @param compaction level, sources and parents
 * @param thanos the section Thanos adds before uploading a block, if present
 * @param extra other top-level fields, in file order, kept so that a rewrite does not drop what
 *     another tool added
 */
public record BlockMeta(
    Ulid ulid,
    long minTime,
    long maxTime,
    BlockStats stats,
    BlockCompaction compaction,
    Optional<ThanosMeta> thanos,
    Map<String, JsonNode> extra) {

  public BlockMeta {
    Objects.requireNonNull(ulid, "ulid");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(compaction, "compaction");
    Objects.requireNonNull(thanos, "thanos");
    extra = JsonFields.copy(extra);
    for (String name : extra.keySet()) {
      if (BlockMetaFile.isKnownField(name)) {
        throw new IllegalArgumentException(
            "extra field \"" + name + "\" is a meta.json field with its own component");
      }
    }
  }

  /**
   * The meta of a block cut from the head or backfilled: level 1, the block itself as its only
   * source.
   */
  public static BlockMeta newBlock(Ulid ulid, long minTime, long maxTime, BlockStats stats) {
    return new BlockMeta(
        ulid, minTime, maxTime, stats, BlockCompaction.level1(ulid), Optional.empty(), Map.of());
  }

  /**
   * The meta of the block that compacting {@code parents} into {@code ulid} produces, before its
   * stats are known: the union of their time ranges, a level one above the highest, the union of
   * their sources in ascending order and the parents in the given order. This is the meta
   * Prometheus's leveled compactor starts from.
   *
   * @throws IllegalArgumentException if {@code parents} is empty
   */
  public static BlockMeta compacted(Ulid ulid, List<BlockMeta> parents) {
    if (parents.isEmpty()) {
      throw new IllegalArgumentException("a compacted block needs at least one parent");
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    int level = 0;
    TreeSet<Ulid> sources = new TreeSet<>();
    List<BlockDesc> descs = new ArrayList<>(parents.size());
    for (BlockMeta parent : parents) {
      min = Math.min(min, parent.minTime);
      max = Math.max(max, parent.maxTime);
      level = Math.max(level, parent.compaction.level());
      sources.addAll(parent.compaction.sources());
      descs.add(BlockDesc.of(parent));
    }
    BlockCompaction compaction =
        new BlockCompaction(
            level + 1, List.copyOf(sources), false, descs, false, List.of(), Map.of());
    return new BlockMeta(ulid, min, max, BlockStats.EMPTY, compaction, Optional.empty(), Map.of());
  }

  /** This meta with other stats. */
  public BlockMeta withStats(BlockStats value) {
    return new BlockMeta(ulid, minTime, maxTime, value, compaction, thanos, extra);
  }

  /** This meta with another compaction section. */
  public BlockMeta withCompaction(BlockCompaction value) {
    return new BlockMeta(ulid, minTime, maxTime, stats, value, thanos, extra);
  }

  /** This meta with the Thanos section set to {@code value}, or removed if it is null. */
  public BlockMeta withThanos(ThanosMeta value) {
    return new BlockMeta(
        ulid, minTime, maxTime, stats, compaction, Optional.ofNullable(value), extra);
  }
}
