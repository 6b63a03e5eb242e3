package dev.strata.tsdb.block;

import dev.strata.tsdb.fileutil.FileSync;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes a block's {@code meta.json} with the bytes Prometheus 2.42 (and, for blocks
 * carrying a {@code thanos} section, Thanos) writes.
 *
 * <p><b>Layout.</b> Go's tab-indented JSON ({@link GoJson}), fields in Go's struct order: {@code
 * ulid, minTime, maxTime, stats, compaction, version}, then {@code thanos}, then any other
 * top-level fields in the order they were read. Inside {@code stats} the four counts, each left out
 * when zero, but {@code stats} itself is always written, as {@code {}} when empty, because Go's
 * {@code omitempty} does not apply to structs. Inside {@code compaction}: {@code level} always,
 * then {@code sources}, {@code deletable}, {@code parents}, {@code failed} and {@code hints}, each
 * only when non-empty or true. Prometheus ends the file after the closing brace; Thanos, which
 * writes through an encoder, adds a newline, so a file is written with that newline exactly when it
 * has a {@code thanos} section.
 *
 * <p><b>Unknown fields</b> at the top level and inside {@code stats}, {@code compaction}, {@code
 * thanos} and its {@code files} entries survive a read and rewrite, after the known ones. Fields
 * inside {@code parents} entries and {@code thanos.downsample} other than the known ones are not
 * kept: no writer puts any there.
 *
 * <p><b>Writing</b> goes to {@code meta.json.tmp}, which is synced and then renamed over {@code
 * meta.json} (with a directory sync), so readers and crashes see the old file or the new one.
 */
public final class BlockMetaFile {

  /** The file name within a block directory. */
  public static final String FILE_NAME = "meta.json";

  /** Where a new version is written before it replaces the file. */
  public static final String TMP_FILE_NAME = FILE_NAME + ".tmp";

  /** The only version of the format; Prometheus refuses others. */
  public static final int VERSION_1 = 1;

  private static final Set<String> KNOWN_FIELDS =
      Set.of("ulid", "minTime", "maxTime", "stats", "compaction", "version", "thanos");

  // Thanos's struct order; the typed fields take their places and the rest come from extra.
  private static final List<String> THANOS_ORDER =
      List.of(
          "version",
          "labels",
          "downsample",
          "source",
          "segment_files",
          "files",
          "rewrites",
          "index_stats",
          "extensions",
          "upload_time");

  private static final Set<String> TYPED_THANOS_FIELDS =
      Set.of("labels", "downsample", "source", "segment_files", "files");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private BlockMetaFile() {}

  /**
   * Reads {@code blockDir/meta.json}.
   *
   * @throws java.nio.file.NoSuchFileException if there is no such file
   * @throws CorruptDataException if it is not valid JSON, lacks a required field, has a field of
   *     the wrong type or an unsupported version; the message names the file, the field and the
   *     byte offset
   */
  public static BlockMeta read(Path blockDir) throws IOException {
    Path file = blockDir.resolve(FILE_NAME);
    return decode(Files.readAllBytes(file), file.toString());
  }

  /**
   * Decodes the content of a {@code meta.json}; {@code source} names it in errors.
   *
   * @throws CorruptDataException as {@link #read}
   */
  public static BlockMeta decode(byte[] json, String source) {
    return MetaJsonDecoder.decode(json, source);
  }

  /** The bytes of {@code meta.json} for {@code meta}. */
  public static byte[] encode(BlockMeta meta) {
    String text = GoJson.write(toJson(meta));
    if (meta.thanos().isPresent()) {
      text += "\n";
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Writes {@code meta} to {@code blockDir/meta.json} atomically and durably.
   *
   * @return the number of bytes written
   */
  public static long write(Path blockDir, BlockMeta meta) throws IOException {
    byte[] bytes = encode(meta);
    FileSync.writeAtomically(blockDir.resolve(FILE_NAME), blockDir.resolve(TMP_FILE_NAME), bytes);
    return bytes.length;
  }

  static boolean isKnownField(String name) {
    return KNOWN_FIELDS.contains(name);
  }

  static boolean isTypedThanosField(String name) {
    return TYPED_THANOS_FIELDS.contains(name);
  }

  /** {@code meta} as a JSON tree with the fields in the order they are written. */
  static ObjectNode toJson(BlockMeta meta) {
    ObjectNode root = NODES.objectNode();
    root.put("ulid", meta.ulid().toString());
    root.put("minTime", meta.minTime());
    root.put("maxTime", meta.maxTime());
    root.set("stats", stats(meta.stats()));
    root.set("compaction", compaction(meta.compaction()));
    root.put("version", VERSION_1);
    meta.thanos().ifPresent(t -> root.set("thanos", thanos(t)));
    putAll(root, meta.extra());
    return root;
  }

  private static ObjectNode stats(BlockStats stats) {
    ObjectNode node = NODES.objectNode();
    putCount(node, "numSamples", stats.numSamples());
    putCount(node, "numSeries", stats.numSeries());
    putCount(node, "numChunks", stats.numChunks());
    putCount(node, "numTombstones", stats.numTombstones());
    putAll(node, stats.extra());
    return node;
  }

  private static ObjectNode compaction(BlockCompaction c) {
    ObjectNode node = NODES.objectNode();
    node.put("level", c.level());
    if (!c.sources().isEmpty()) {
      ArrayNode sources = node.putArray("sources");
      c.sources().forEach(u -> sources.add(u.toString()));
    }
    if (c.deletable()) {
      node.put("deletable", true);
    }
    if (!c.parents().isEmpty()) {
      ArrayNode parents = node.putArray("parents");
      for (BlockDesc parent : c.parents()) {
        parents
            .addObject()
            .put("ulid", parent.ulid().toString())
            .put("minTime", parent.minTime())
            .put("maxTime", parent.maxTime());
      }
    }
    if (c.failed()) {
      node.put("failed", true);
    }
    if (!c.hints().isEmpty()) {
      ArrayNode hints = node.putArray("hints");
      c.hints().forEach(hints::add);
    }
    putAll(node, c.extra());
    return node;
  }

  private static ObjectNode thanos(ThanosMeta t) {
    ObjectNode node = NODES.objectNode();
    for (String name : THANOS_ORDER) {
      switch (name) {
        case "labels" -> {
          ObjectNode labels = node.putObject("labels");
          t.labels().forEach(labels::put);
        }
        case "downsample" ->
            node.putObject("downsample").put("resolution", t.downsampleResolution());
        case "source" -> node.put("source", t.source());
        case "segment_files" -> {
          if (!t.segmentFiles().isEmpty()) {
            ArrayNode files = node.putArray("segment_files");
            t.segmentFiles().forEach(files::add);
          }
        }
        case "files" -> {
          if (!t.files().isEmpty()) {
            ArrayNode files = node.putArray("files");
            for (ThanosMeta.File f : t.files()) {
              ObjectNode file = files.addObject().put("rel_path", f.relPath());
              putCount(file, "size_bytes", f.sizeBytes());
              putAll(file, f.extra());
            }
          }
        }
        default -> {
          JsonNode value = t.extra().get(name);
          if (value != null) {
            node.set(name, value.deepCopy());
          }
        }
      }
    }
    for (Map.Entry<String, JsonNode> e : t.extra().entrySet()) {
      if (!THANOS_ORDER.contains(e.getKey())) {
        node.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return node;
  }

  private static void putCount(ObjectNode node, String name, long value) {
    if (value != 0) {
      node.put(name, value);
    }
  }

  private static void putAll(ObjectNode node, Map<String, JsonNode> fields) {
    fields.forEach((name, value) -> node.set(name, value.deepCopy()));
  }
}
