package dev.strata.tier.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code <ULID>/deletion-mark.json}: the block is to be deleted once {@code deletionTime} is older
 * than the deletion delay. Readers stop using a marked block at once; the delay lets queries that
 * already opened it finish before its files go.
 *
 * @param deletionTime when the block was marked, in Unix seconds
 */
public record DeletionMark(Ulid id, long deletionTime, String details) {
  /** The file name beside a block's files. */
  public static final String FILE_NAME = "deletion-mark.json";

  /** The only format version. */
  public static final int VERSION_1 = 1;

  static final ObjectMapper JSON = new ObjectMapper();

  public DeletionMark {
    Objects.requireNonNull(id, "id");
    details = details == null ? "" : details;
  }

  /** The JSON Thanos writes: {@code id, version, details (if any), deletion_time}. */
  public byte[] encode() {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", id.toString());
    n.put("version", VERSION_1);
    if (!details.isEmpty()) {
      n.put("details", details);
    }
    n.put("deletion_time", deletionTime);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes a mark; {@code source} names it in errors. */
  public static DeletionMark decode(byte[] json, String source) {
    JsonNode n = readObject(json, source);
    checkVersion(n, source);
    return new DeletionMark(id(n, source), n.path("deletion_time").asLong(), n.path("details").asText(""));
  }

  static JsonNode readObject(byte[] json, String source) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        throw new CorruptDataException(source, "marker", 0, "not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new CorruptDataException(source, "marker", 0, "not valid JSON: " + e.getMessage());
    }
  }

  static void checkVersion(JsonNode n, String source) {
    if (n.path("version").asInt() != VERSION_1) {
      throw new CorruptDataException(source, "marker", 0,
          "version " + n.path("version") + " is not supported (only 1)");
    }
  }

  static Ulid id(JsonNode n, String source) {
    return Ulid.tryParse(n.path("id").asText(""))
        .orElseThrow(() -> new CorruptDataException(source, "marker", 0, "'id' is not a ULID"));
  }
}
