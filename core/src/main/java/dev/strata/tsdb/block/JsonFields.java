package dev.strata.tsdb.block;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Shared Jackson setup and the copying of fields kept as JSON trees. */
final class JsonFields {

  /**
   * Reads fractional numbers as exact decimals with their trailing zeros, so that a field this code
   * does not understand is written back with the value it had rather than a double's approximation.
   */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private JsonFields() {}

  /**
   * An unmodifiable copy in the same order, each tree replaced by the tree that reading it back
   * from {@code meta.json} gives: a record then equals its own round trip whatever node types the
   * caller built it from (a {@code LongNode} 5 reads back as an {@code IntNode}, a {@code
   * DoubleNode} as a decimal, a lone surrogate as U+FFFD), and the caller's nodes can change
   * without changing the record. Java nulls become JSON nulls.
   *
   * @throws IllegalArgumentException if a tree holds something JSON cannot express (NaN,
   *     binary or POJO nodes)
   */
  static Map<String, JsonNode> copy(Map<String, JsonNode> fields) {
    Objects.requireNonNull(fields, "extra");
    if (fields.isEmpty()) {
      return Map.of();
    }
    Map<String, JsonNode> copy = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
      JsonNode value = e.getValue();
      copy.put(
          Objects.requireNonNull(e.getKey(), "field name"),
          value == null ? NullNode.getInstance() : canonical(value));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static JsonNode canonical(JsonNode value) {
    try {
      return MAPPER.readTree(GoJson.write(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("written JSON did not parse back", e);
    }
  }
}
