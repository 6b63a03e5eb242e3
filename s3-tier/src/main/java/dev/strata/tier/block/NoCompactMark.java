package dev.strata.tier.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.tsdb.block.Ulid;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code <ULID>/no-compact-mark.json}: a compactor must leave the block as it is (for example
 * because its index is too large to merge, or by hand).
 *
 * @param noCompactTime when it was marked, in Unix seconds
 * @param reason why, such as {@value #MANUAL}
 */
public record NoCompactMark(Ulid id, long noCompactTime, String reason, String details) {
  /** The file name beside a block's files. */
  public static final String FILE_NAME = "no-compact-mark.json";

  /** The reason for marks set by hand. */
  public static final String MANUAL = "manual";

  public NoCompactMark {
    Objects.requireNonNull(id, "id");
    reason = reason == null ? "" : reason;
    details = details == null ? "" : details;
  }

  /** The JSON Thanos writes: {@code id, version, details (if any), no_compact_time, reason}. */
  public byte[] encode() {
    ObjectNode n = DeletionMark.JSON.createObjectNode();
    n.put("id", id.toString());
    n.put("version", DeletionMark.VERSION_1);
    if (!details.isEmpty()) {
      n.put("details", details);
    }
    n.put("no_compact_time", noCompactTime);
    n.put("reason", reason);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static NoCompactMark decode(byte[] json, String source) {
    JsonNode n = DeletionMark.readObject(json, source);
    DeletionMark.checkVersion(n, source);
    return new NoCompactMark(DeletionMark.id(n, source), n.path("no_compact_time").asLong(),
        n.path("reason").asText(""), n.path("details").asText(""));
  }
}
