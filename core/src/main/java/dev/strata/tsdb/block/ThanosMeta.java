package dev.strata.tsdb.block;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.tsdb.labels.Utf8Order;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@code thanos} section of {@code meta.json}: what Thanos adds to a block before it goes to
 * the bucket, and what its store gateway and compactor read back.
 *
 * <p>The typed fields are the ones Strata uses; every other field of the section (the section's
 * {@code version}, {@code rewrites}, {@code index_stats}, {@code extensions}, {@code upload_time},
 * and whatever newer Thanos versions add) stays in {@code extra} and is written back where Thanos
 * writes it, so a section that Thanos wrote comes out unchanged. Fields inside {@code downsample}
 * other than {@code resolution} are not kept.
 *
 * @param labels the external labels of the block's producer (and tenant): Thanos groups blocks by
 *     them for compaction and queries. Sorted by UTF-8 bytes, as Go writes map keys.
 * @param downsampleResolution 0 for raw data, {@value #RESOLUTION_5M} or {@value #RESOLUTION_1H}
 *     (milliseconds) for downsampled blocks
 * @param source what uploaded the block, such as {@code sidecar} or {@code compactor}; may be empty
 * @param segmentFiles names of the files under {@code chunks/}, ascending; an older form of {@code
 *     files}
 * @param files every file of the block with its size, sorted by path
 * @param extra the other fields of the section, in file order
 */
public record ThanosMeta(
    Map<String, String> labels,
    long downsampleResolution,
    String source,
    List<String> segmentFiles,
    List<File> files,
    Map<String, JsonNode> extra) {

  /** Downsampling resolution of raw blocks. */
  public static final long RESOLUTION_RAW = 0;

  /** Resolution of the first downsampling level: 5 minutes. */
  public static final long RESOLUTION_5M = 300_000;

  /** Resolution of the second downsampling level: 1 hour. */
  public static final long RESOLUTION_1H = 3_600_000;

  /** Source of blocks uploaded by a sidecar. */
  public static final String SOURCE_SIDECAR = "sidecar";

  /** Source of blocks produced by the compactor. */
  public static final String SOURCE_COMPACTOR = "compactor";

  public ThanosMeta {
    TreeMap<String, String> sorted = new TreeMap<>(Utf8Order.COMPARATOR);
    for (Map.Entry<String, String> e : labels.entrySet()) {
      sorted.put(
          Objects.requireNonNull(e.getKey(), "label name"),
          Objects.requireNonNull(e.getValue(), "label value"));
    }
    labels = Collections.unmodifiableMap(sorted);
    Objects.requireNonNull(source, "source");
    segmentFiles = List.copyOf(segmentFiles);
    files = List.copyOf(files);
    extra = JsonFields.copy(extra);
    for (String name : extra.keySet()) {
      if (BlockMetaFile.isTypedThanosField(name)) {
        throw new IllegalArgumentException(
            "extra field \"" + name + "\" is a Thanos field with its own component");
      }
    }
  }

  /** A section with only labels, resolution and source, as a sidecar or compactor starts one. */
  public ThanosMeta(Map<String, String> labels, long downsampleResolution, String source) {
    this(labels, downsampleResolution, source, List.of(), List.of(), Map.of());
  }

  /** This section with the list of files replaced. */
  public ThanosMeta withFiles(List<File> value) {
    return new ThanosMeta(labels, downsampleResolution, source, segmentFiles, value, extra);
  }

  /**
   * A file of the block, for the {@code files} list.
   *
   * @param relPath path relative to the block directory, with {@code /} separators
   * @param sizeBytes the size; 0 means unknown and is not written (Thanos lists {@code meta.json}
   *     without a size)
   * @param extra other fields of the entry, such as {@code hash}, in file order
   */
  public record File(String relPath, long sizeBytes, Map<String, JsonNode> extra) {
    public File {
      Objects.requireNonNull(relPath, "relPath");
      if (sizeBytes < 0) {
        throw new IllegalArgumentException("size of " + relPath + " is negative: " + sizeBytes);
      }
      extra = JsonFields.copy(extra);
      if (extra.containsKey("rel_path") || extra.containsKey("size_bytes")) {
        throw new IllegalArgumentException("extra fields repeat rel_path or size_bytes");
      }
    }

    public File(String relPath, long sizeBytes) {
      this(relPath, sizeBytes, Map.of());
    }
  }
}
