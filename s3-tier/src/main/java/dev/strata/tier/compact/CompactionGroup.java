package dev.strata.tier.compact;

import dev.strata.tier.block.SyncedBlock;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The blocks of one stream: the same external labels (less the deduplication replica labels) and
 * the same resolution. Groups are compacted independently of each other, and a compacted block
 * carries its group's labels.
 *
 * @param key Thanos's group key, {@code <resolution>@<hash of the labels>}
 * @param labels the group's external labels
 * @param resolution the downsampling resolution in milliseconds (0 for raw data)
 * @param blocks the group's blocks, by first timestamp, then ULID
 */
public record CompactionGroup(String key, Map<String, String> labels, long resolution,
    List<BlockMeta> blocks) {

  public CompactionGroup {
    labels = Map.copyOf(labels);
    blocks = List.copyOf(blocks);
  }

  /** The groups of {@code blocks}, by key; replica labels are dropped from the blocks' labels. */
  public static List<CompactionGroup> of(Collection<SyncedBlock> blocks,
      Set<String> replicaLabels) {
    Map<String, List<BlockMeta>> byKey = new TreeMap<>();
    Map<String, Map<String, String>> labelsByKey = new TreeMap<>();
    Map<String, Long> resolutionByKey = new TreeMap<>();
    for (SyncedBlock b : blocks) {
      Map<String, String> labels = new TreeMap<>(
          b.meta().thanos().map(ThanosMeta::labels).orElse(Map.of()));
      labels.keySet().removeAll(replicaLabels);
      long resolution = b.meta().thanos().map(ThanosMeta::downsampleResolution).orElse(0L);
      String key = key(resolution, labels);
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(b.meta());
      labelsByKey.put(key, labels);
      resolutionByKey.put(key, resolution);
    }
    List<CompactionGroup> out = new ArrayList<>();
    byKey.forEach((key, metas) -> {
      metas.sort(Comparator.comparingLong(BlockMeta::minTime).thenComparing(BlockMeta::ulid));
      out.add(new CompactionGroup(key, labelsByKey.get(key), resolutionByKey.get(key), metas));
    });
    return out;
  }

  /** Thanos's group key: the resolution, then the hash Prometheus gives the label set. */
  static String key(long resolution, Map<String, String> labels) {
    return resolution + "@" + Long.toUnsignedString(Labels.fromMap(labels).hash());
  }

  /** The key with the labels, for people: {@code 0@123...{cluster="eu"}}. */
  @Override
  public String toString() {
    return key + Labels.fromMap(labels);
  }
}
