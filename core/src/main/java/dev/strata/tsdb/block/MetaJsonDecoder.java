package dev.strata.tsdb.block;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes {@code meta.json} from Jackson's token stream rather than through a data-binding tree, so
 * that every error can name the field (as a path like {@code compaction.parents[1].ulid}) and its
 * byte offset.
 *
 * <p>Field rules follow Go's decoder where Prometheus relies on them: a field given twice takes its
 * last value, {@code null} leaves a field at its default, integers must be written as integers.
 * Stricter than Go, required fields ({@code ulid}, {@code minTime}, {@code maxTime}, {@code
 * version}) must be present, counts must fit in a signed 64-bit integer, and ULIDs must be valid
 * rather than decoded into garbage. Field names match exactly (Go would also match them
 * case-insensitively, which no writer of these files relies on).
 */
final class MetaJsonDecoder {
  private final JsonParser p;
  private final String source;

  private MetaJsonDecoder(JsonParser parser, String source) {
    this.p = parser;
    this.source = source;
  }

  static BlockMeta decode(byte[] json, String source) {
    try (JsonParser parser = JsonFields.MAPPER.createParser(json)) {
      MetaJsonDecoder d = new MetaJsonDecoder(parser, source);
      try {
        return d.meta();
      } catch (JsonProcessingException e) {
        long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
        throw new CorruptDataException(
            source, "JSON", Math.max(at, 0), "not valid JSON: " + e.getOriginalMessage(), e);
      }
    } catch (IOException e) {
      // Parsing an array does no I/O; what remains are syntax errors, handled above.
      throw new UncheckedIOException(e);
    }
  }

  private BlockMeta meta() throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw error("", "expected a JSON object, found " + describe(p.currentToken()));
    }
    long objectAt = offset();
    Ulid ulid = null;
    Long minTime = null;
    Long maxTime = null;
    Long version = null;
    BlockStats stats = BlockStats.EMPTY;
    BlockCompaction compaction = null;
    Optional<ThanosMeta> thanos = Optional.empty();
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL && BlockMetaFile.isKnownField(name)) {
        continue;
      }
      switch (name) {
        case "ulid" -> ulid = ulid(name);
        case "minTime" -> minTime = int64(name);
        case "maxTime" -> maxTime = int64(name);
        case "version" -> version = int64(name);
        case "stats" -> stats = stats();
        case "compaction" -> compaction = compaction();
        case "thanos" -> thanos = Optional.of(thanos());
        default -> extra.put(name, tree());
      }
    }
    requireEnd();
    if (version == null) {
      throw error("version", objectAt, "missing");
    }
    if (version != BlockMetaFile.VERSION_1) {
      throw error(
          "version",
          objectAt,
          "unsupported meta.json version " + version + ", expected " + BlockMetaFile.VERSION_1);
    }
    if (ulid == null) {
      throw error("ulid", objectAt, "missing");
    }
    if (minTime == null) {
      throw error("minTime", objectAt, "missing");
    }
    if (maxTime == null) {
      throw error("maxTime", objectAt, "missing");
    }
    if (compaction == null) {
      compaction = new BlockCompaction(0, List.of(), false, List.of(), false, List.of(), Map.of());
    }
    return new BlockMeta(ulid, minTime, maxTime, stats, compaction, thanos, extra);
  }

  private void requireEnd() throws IOException {
    JsonToken after = p.nextToken();
    if (after != null) {
      throw error("", "unexpected " + describe(after) + " after the top-level object");
    }
  }

  private BlockStats stats() throws IOException {
    String path = "stats";
    startObject(path);
    long samples = 0;
    long series = 0;
    long chunks = 0;
    long tombstones = 0;
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String field = path + "." + name;
      JsonToken t = p.nextToken();
      boolean isNull = t == JsonToken.VALUE_NULL;
      switch (name) {
        case "numSamples" -> samples = isNull ? 0 : count(field);
        case "numSeries" -> series = isNull ? 0 : count(field);
        case "numChunks" -> chunks = isNull ? 0 : count(field);
        case "numTombstones" -> tombstones = isNull ? 0 : count(field);
        default -> extra.put(name, tree());
      }
    }
    return new BlockStats(samples, series, chunks, tombstones, extra);
  }

  private BlockCompaction compaction() throws IOException {
    String path = "compaction";
    startObject(path);
    long level = 0;
    List<Ulid> sources = List.of();
    boolean deletable = false;
    List<BlockDesc> parents = List.of();
    boolean failed = false;
    List<String> hints = List.of();
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String field = path + "." + name;
      JsonToken t = p.nextToken();
      boolean isNull = t == JsonToken.VALUE_NULL;
      switch (name) {
        case "level" -> level = isNull ? 0 : int64(field);
        case "sources" -> sources = isNull ? List.of() : array(field, this::ulid);
        case "deletable" -> deletable = !isNull && bool(field);
        case "parents" -> parents = isNull ? List.of() : array(field, this::parent);
        case "failed" -> failed = !isNull && bool(field);
        case "hints" -> hints = isNull ? List.of() : array(field, this::string);
        default -> extra.put(name, tree());
      }
    }
    if (level < Integer.MIN_VALUE || level > Integer.MAX_VALUE) {
      throw error(path + ".level", "level " + level + " does not fit in 32 bits");
    }
    return new BlockCompaction((int) level, sources, deletable, parents, failed, hints, extra);
  }

  // One element of compaction.parents, the parser at its first token.
  private BlockDesc parent(String item) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      throw error(item, "null instead of a block");
    }
    startObject(item);
    long at = offset();
    Ulid ulid = null;
    Long min = null;
    Long max = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (name) {
        case "ulid" -> ulid = ulid(item + ".ulid");
        case "minTime" -> min = int64(item + ".minTime");
        case "maxTime" -> max = int64(item + ".maxTime");
        default -> p.skipChildren();
      }
    }
    if (ulid == null || min == null || max == null) {
      throw error(item, at, "a parent needs ulid, minTime and maxTime");
    }
    return new BlockDesc(ulid, min, max);
  }

  private ThanosMeta thanos() throws IOException {
    String path = "thanos";
    startObject(path);
    Map<String, String> labels = Map.of();
    long resolution = 0;
    String source = "";
    List<String> segmentFiles = List.of();
    List<ThanosMeta.File> files = List.of();
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String field = path + "." + name;
      JsonToken t = p.nextToken();
      boolean isNull = t == JsonToken.VALUE_NULL;
      switch (name) {
        case "labels" -> labels = isNull ? Map.of() : labels(field);
        case "downsample" -> resolution = isNull ? 0 : resolution(field);
        case "source" -> source = isNull ? "" : string(field);
        case "segment_files" -> segmentFiles = isNull ? List.of() : array(field, this::string);
        case "files" -> files = isNull ? List.of() : array(field, this::file);
        default -> extra.put(name, tree());
      }
    }
    return new ThanosMeta(labels, resolution, source, segmentFiles, files, extra);
  }

  private Map<String, String> labels(String path) throws IOException {
    startObject(path);
    Map<String, String> labels = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      labels.put(name, t == JsonToken.VALUE_NULL ? "" : string(path + "." + name));
    }
    return labels;
  }

  private long resolution(String path) throws IOException {
    startObject(path);
    long resolution = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (name.equals("resolution") && t != JsonToken.VALUE_NULL) {
        resolution = int64(path + ".resolution");
      } else {
        p.skipChildren();
      }
    }
    return resolution;
  }

  // One element of thanos.files, the parser at its first token.
  private ThanosMeta.File file(String item) throws IOException {
    startObject(item);
    long at = offset();
    String relPath = null;
    long size = 0;
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      boolean isNull = t == JsonToken.VALUE_NULL;
      switch (name) {
        case "rel_path" -> relPath = isNull ? relPath : string(item + ".rel_path");
        case "size_bytes" -> size = isNull ? 0 : count(item + ".size_bytes");
        default -> extra.put(name, tree());
      }
    }
    if (relPath == null) {
      throw error(item, at, "a file needs rel_path");
    }
    return new ThanosMeta.File(relPath, size, extra);
  }

  /** Reads one element of an array; {@code item} names it in errors ({@code path[i]}). */
  @FunctionalInterface
  private interface Element<T> {
    T read(String item) throws IOException;
  }

  // An array at `path`, each element read by `element` with the parser at its first token.
  private <T> List<T> array(String path, Element<T> element) throws IOException {
    startArray(path);
    List<T> values = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      values.add(element.read(path + "[" + values.size() + "]"));
    }
    return values;
  }

  private Ulid ulid(String path) throws IOException {
    String text = string(path);
    try {
      return Ulid.parse(text);
    } catch (IllegalArgumentException e) {
      throw error(path, e.getMessage());
    }
  }

  private String string(String path) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw error(path, "expected a string, found " + describe(p.currentToken()));
    }
    return p.getText();
  }

  private boolean bool(String path) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      throw error(path, "expected true or false, found " + describe(t));
    }
    return t == JsonToken.VALUE_TRUE;
  }

  private long int64(String path) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw error(path, "expected an integer, found " + describe(t));
    }
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw error(path, p.getText() + " does not fit in a signed 64-bit integer");
    }
    return p.getLongValue();
  }

  // Counts are unsigned in Go; values beyond 2^63 - 1 are refused rather than wrapped.
  private long count(String path) throws IOException {
    long v = int64(path);
    if (v < 0) {
      throw error(path, "negative count " + v);
    }
    return v;
  }

  private JsonNode tree() throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return NullNode.getInstance();
    }
    return JsonFields.MAPPER.readTree(p);
  }

  private void startObject(String path) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(path, "expected an object, found " + describe(p.currentToken()));
    }
  }

  private void startArray(String path) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw error(path, "expected an array, found " + describe(p.currentToken()));
    }
  }

  private long offset() {
    return Math.max(0, p.currentTokenLocation().getByteOffset());
  }

  private CorruptDataException error(String path, String reason) {
    return error(path, offset(), reason);
  }

  private CorruptDataException error(String path, long offset, String reason) {
    String section = path.isEmpty() ? "meta.json" : "field " + path;
    return new CorruptDataException(source, section, offset, reason);
  }

  private String describe(JsonToken t) throws IOException {
    if (t == null) {
      return "the end of the input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "the string \"" + abbreviate(p.getText()) + "\"";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + abbreviate(p.getText());
      case VALUE_TRUE, VALUE_FALSE -> p.getText();
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
