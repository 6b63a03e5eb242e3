package dev.strata.tier.query;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The targets of a Prometheus file_sd file: a list of target groups,
 * {@code [{"targets": ["host:port", ...], "labels": {...}}, ...]}, read as JSON or YAML by the
 * file's extension as Prometheus reads it. Prometheus reads YAML strictly (an unknown key is an
 * error) and JSON leniently (unknown keys are ignored); so does this. Only the targets are kept:
 * the querier uses nothing else of a group.
 */
final class TargetGroups {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TargetGroups() {}

  /** Whether {@code fileName} has an extension Prometheus reads file_sd files from. */
  static boolean supported(String fileName) {
    return format(fileName) != null;
  }

  /**
   * The distinct targets of the file's groups, in the order they appear.
   *
   * @throws IllegalArgumentException naming what is wrong (and where, for a syntax error)
   */
  static Set<String> parse(String fileName, byte[] content) {
    ObjectMapper mapper = format(fileName);
    if (mapper == null) {
      throw new IllegalArgumentException("unsupported file extension: only .json, .yml and .yaml"
          + " files are read");
    }
    boolean strict = mapper == YAML;
    JsonNode root;
    try {
      root = mapper.readTree(content);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(syntaxError(e), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Set<String> targets = new LinkedHashSet<>();
    if (root == null || root.isMissingNode()) {
      if (!strict) {
        // As Go's json.Unmarshal of nothing at all ("unexpected end of JSON input").
        throw new IllegalArgumentException("empty file: expected a JSON list of target groups");
      }
      return targets; // an empty YAML document: no groups
    }
    if (root.isNull()) {
      return targets; // null: no groups
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException(
          "expected a list of target groups, found " + kind(root));
    }
    for (int i = 0; i < root.size(); i++) {
      readGroup(root.get(i), i + 1, strict, targets);
    }
    return targets;
  }

  private static void readGroup(JsonNode group, int n, boolean strict, Set<String> targets) {
    if (group.isNull()) {
      throw new IllegalArgumentException("target group " + n + " is empty (nil target group)");
    }
    if (!group.isObject()) {
      throw new IllegalArgumentException(
          "target group " + n + " must be a mapping with targets and labels, found " + kind(group));
    }
    for (Map.Entry<String, JsonNode> f : group.properties()) {
      switch (f.getKey()) {
        case "targets" -> readTargets(f.getValue(), n, targets);
        case "labels" -> checkLabels(f.getValue(), n);
        default -> {
          if (strict) {
            throw new IllegalArgumentException(
                "target group " + n + ": unknown field \"" + f.getKey() + "\"");
          }
        }
      }
    }
  }

  private static void readTargets(JsonNode list, int n, Set<String> targets) {
    if (list.isNull()) {
      return;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(
          "target group " + n + ": targets must be a list of strings, found " + kind(list));
    }
    for (JsonNode t : list) {
      if (!t.isTextual()) {
        throw new IllegalArgumentException(
            "target group " + n + ": target " + t + " is not a string");
      }
      if (!t.textValue().isEmpty()) {
        targets.add(t.textValue());
      }
    }
  }

  private static void checkLabels(JsonNode labels, int n) {
    if (labels.isNull()) {
      return;
    }
    if (!labels.isObject()) {
      throw new IllegalArgumentException(
          "target group " + n + ": labels must be a mapping of names to values, found "
              + kind(labels));
    }
    for (Map.Entry<String, JsonNode> f : labels.properties()) {
      if (!f.getValue().isTextual()) {
        throw new IllegalArgumentException("target group " + n + ": the value of label \""
            + f.getKey() + "\" is not a string");
      }
    }
  }

  private static ObjectMapper format(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".json")) {
      return JSON;
    }
    if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
      return YAML;
    }
    return null;
  }

  private static String syntaxError(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at != null && at.getLineNr() > 0
        ? "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": "
        : "";
    String what = e.getOriginalMessage();
    return "syntax error: " + where
        + (what != null ? what.replaceAll("\\s+", " ").trim() : e.toString());
  }

  private static String kind(JsonNode node) {
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
