package dev.strata.tsdb.block;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code compaction} section of a block's {@code meta.json}: how the block came to be.
 *
 * @param level 1 for a block cut from the head (or backfilled); one more than the highest parent
 *     level for a compacted block. The leveled compactor plans by it.
 * @param sources ULIDs of the level-1 blocks whose data this block holds; ascending when Prometheus
 *     writes them
 * @param deletable set on a block that compaction left without samples, so that the next reload
 *     deletes it
 * @param parents the blocks this one was compacted from
 * @param failed set on the parents of a compaction that failed, so the planner skips them
 * @param hints free-form notes, such as {@value #HINT_FROM_OUT_OF_ORDER}
 * @param extra fields Prometheus 2.42 does not know, in file order
 */
public record BlockCompaction(
    int level,
    List<Ulid> sources,
    boolean deletable,
    List<BlockDesc> parents,
    boolean failed,
    List<String> hints,
    Map<String, JsonNode> extra) {

  /** The hint on a block built from out-of-order samples. */
  public static final String HINT_FROM_OUT_OF_ORDER = "from-out-of-order";

  public BlockCompaction {
    sources = List.copyOf(sources);
    parents = List.copyOf(parents);
    hints = List.copyOf(hints);
    extra = JsonFields.copy(extra);
    for (String name : List.of("level", "sources", "deletable", "parents", "failed", "hints")) {
      if (extra.containsKey(name)) {
        throw new IllegalArgumentException("extra fields repeat " + name);
      }
    }
  }

  /** Level 1 with the block itself as its only source: a block cut from the head. */
  public static BlockCompaction level1(Ulid self) {
    Objects.requireNonNull(self, "self");
    return new BlockCompaction(1, List.of(self), false, List.of(), false, List.of(), Map.of());
  }

  /** This section with {@code deletable} set or cleared. */
  public BlockCompaction withDeletable(boolean value) {
    return new BlockCompaction(level, sources, value, parents, failed, hints, extra);
  }

  /** This section with {@code failed} set or cleared. */
  public BlockCompaction withFailed(boolean value) {
    return new BlockCompaction(level, sources, deletable, parents, value, hints, extra);
  }
}
