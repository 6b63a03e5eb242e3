package dev.strata.tier.compact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.promql.parser.PromqlParseException;
import dev.strata.promql.parser.PromqlParser;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.MatchType;
import java.util.ArrayList;
import java.util.List;

/**
 * Series to delete from a block, as Thanos's {@code --rewrite.to-delete-config} states them: the
 * series matching every matcher lose their samples in the intervals, or all of them when there are
 * no intervals.
 *
 * @param selector the selector as given, such as {@code {__name__="up", job="api"}}
 * @param matchers its parsed matchers
 * @param intervals closed ranges {@code [mint, maxt]} in milliseconds; empty means all time
 */
public record DeletionRequest(String selector, List<LabelMatcher> matchers,
    List<Interval> intervals) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public DeletionRequest {
    matchers = List.copyOf(matchers);
    intervals = List.copyOf(intervals);
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException("deletion request " + selector
          + " has no matchers: it would delete every series");
    }
  }

  /** A closed interval of time, in milliseconds. */
  public record Interval(long mint, long maxt) {
    public Interval {
      if (mint > maxt) {
        throw new IllegalArgumentException("interval [" + mint + ", " + maxt
            + "] ends before it starts");
      }
    }
  }

  /**
   * The request deleting the series {@code selector} matches, over all time: the command line's
   * {@code --delete='{...}'}.
   *
   * @throws IllegalArgumentException if the selector does not parse, with the parser's message
   */
  public static DeletionRequest allTime(String selector) {
    return new DeletionRequest(selector, parseSelector(selector), List.of());
  }

  /**
   * Parses Thanos's deletion config: a YAML list of {@code - matchers: '{...}'}, each with optional
   * {@code intervals: [{mint: ..., maxt: ...}]}.
   *
   * @param origin where the text came from, for error messages
   * @throws IllegalArgumentException naming the origin and entry at fault
   */
  public static List<DeletionRequest> parseConfig(String yaml, String origin) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(origin + ": not YAML: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return List.of();
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException(origin
          + ": expected a list of deletion requests (- matchers: '{...}')");
    }
    List<DeletionRequest> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      String where = origin + ": entry " + (i + 1);
      JsonNode entry = root.get(i);
      JsonNode selector = entry.get("matchers");
      if (selector == null || !selector.isTextual()) {
        throw new IllegalArgumentException(where + ": 'matchers' must be a selector such as"
            + " '{__name__=\"up\"}'");
      }
      List<Interval> intervals = new ArrayList<>();
      JsonNode list = entry.get("intervals");
      if (list != null && !list.isNull()) {
        if (!list.isArray()) {
          throw new IllegalArgumentException(where + ": 'intervals' must be a list of"
              + " {mint, maxt}");
        }
        for (JsonNode in : list) {
          JsonNode mint = in.get("mint");
          JsonNode maxt = in.get("maxt");
          if (mint == null || maxt == null || !mint.canConvertToLong()
              || !maxt.canConvertToLong()) {
            throw new IllegalArgumentException(where + ": an interval needs integer 'mint'"
                + " and 'maxt' (milliseconds)");
          }
          try {
            intervals.add(new Interval(mint.asLong(), maxt.asLong()));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
          }
        }
      }
      try {
        out.add(new DeletionRequest(selector.asText(), parseSelector(selector.asText()),
            intervals));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static List<LabelMatcher> parseSelector(String selector) {
    try {
      return PromqlParser.parseMetricSelector(selector);
    } catch (PromqlParseException e) {
      throw new IllegalArgumentException("bad selector " + selector + ": " + e.getMessage());
    }
  }

  /**
   * The request as Thanos records it in {@code thanos.rewrites[].deletions_applied}: matchers as
   * Go encodes Prometheus's matcher ({@code Type} 0 to 3 for {@code =}, {@code !=}, {@code =~},
   * {@code !~}), intervals as {@code Mint}/{@code Maxt}, left out when empty.
   */
  public JsonNode toThanosJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    ArrayNode ms = o.putArray("matchers");
    for (LabelMatcher m : matchers) {
      ms.addObject().put("Type", goMatchType(m.type())).put("Name", m.name())
          .put("Value", m.value());
    }
    if (!intervals.isEmpty()) {
      ArrayNode is = o.putArray("intervals");
      for (Interval in : intervals) {
        is.addObject().put("Mint", in.mint()).put("Maxt", in.maxt());
      }
    }
    return o;
  }

  private static int goMatchType(MatchType t) {
    switch (t) {
      case EQUAL:
        return 0;
      case NOT_EQUAL:
        return 1;
      case REGEX:
        return 2;
      default:
        return 3;
    }
  }
}
