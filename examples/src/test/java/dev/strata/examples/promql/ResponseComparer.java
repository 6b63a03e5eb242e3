package dev.strata.examples.promql;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares an answer of Strata's HTTP API with Prometheus's to the same request: status and error
 * type; result type; then the result: label sets exactly, timestamps exactly, values within a
 * relative 1e-9, the number of points. Matrices are compared in the order returned (Prometheus
 * sorts them); vectors as sets, unless the query orders them.
 */
final class ResponseComparer {
  // Timestamps are compared as the decimal numbers written, not as rounded doubles.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private ResponseComparer() {}

  /** How the request's result is to be compared. */
  enum Order {
    /** The result's order carries no meaning (instant vectors of most queries). */
    IGNORED,
    /** The result's order must be the same, except among equal values (sort, topk...). */
    BY_VALUE,
    /** The result's order must be the same (matrices, metadata lists). */
    EXACT
  }

  static List<Difference> compare(String prometheusBody, String strataBody, Order vectorOrder) {
    List<Difference> differences = new ArrayList<>();
    JsonNode expected;
    JsonNode actual;
    try {
      expected = JSON.readTree(prometheusBody);
    } catch (Exception e) {
      differences.add(new Difference("unparsable", "Prometheus: " + abbreviate(prometheusBody)));
      return differences;
    }
    try {
      actual = JSON.readTree(strataBody);
    } catch (Exception e) {
      differences.add(new Difference("unparsable", "Strata: " + abbreviate(strataBody)));
      return differences;
    }
    String status = expected.path("status").asText();
    if (!status.equals(actual.path("status").asText())) {
      differences.add(new Difference("status",
          "Prometheus: " + outline(expected) + "; Strata: " + outline(actual)));
      return differences;
    }
    if (status.equals("error")) {
      compareErrors(expected, actual, differences);
      return differences;
    }
    JsonNode data = expected.path("data");
    if (data.isArray()) {
      compareMetadata(data, actual.path("data"), differences);
    } else if (!data.has("resultType")) {
      // format_query's text, metadata's object: compared exactly.
      if (!data.equals(actual.path("data"))) {
        differences.add(new Difference("data", "Prometheus: " + abbreviate(data.toString())
            + "; Strata: " + abbreviate(actual.path("data").toString())));
      }
    } else {
      compareResults(data, actual.path("data"), vectorOrder, differences);
    }
    return differences;
  }

  /**
   * What kind of answer a body is: {@code error <type>: <message>}, {@code empty}, {@code data} or
   * {@code unparsable}.
   */
  static String answerKind(String body) {
    try {
      JsonNode response = JSON.readTree(body);
      if (!response.path("status").asText().equals("success")) {
        return "error " + response.path("errorType").asText() + ": " + response.path("error").asText();
      }
      JsonNode data = response.path("data");
      JsonNode result = data.isArray() ? data : data.path("result");
      return result.isArray() && result.isEmpty() ? "empty" : "data";
    } catch (Exception e) {
      return "unparsable";
    }
  }

  private static void compareErrors(JsonNode expected, JsonNode actual, List<Difference> out) {
    String type = expected.path("errorType").asText();
    if (!type.equals(actual.path("errorType").asText())) {
      out.add(new Difference("errorType", "Prometheus: " + outline(expected) + "; Strata: " + outline(actual)));
    } else if (!expected.path("error").asText().equals(actual.path("error").asText())) {
      out.add(new Difference(Difference.ERROR_TEXT,
          "Prometheus: " + expected.path("error").asText() + "; Strata: " + actual.path("error").asText()));
    }
  }

  // /series (label sets), /labels and /label/<name>/values (strings): Prometheus sorts them.
  private static void compareMetadata(JsonNode expected, JsonNode actual, List<Difference> out) {
    List<String> e = metadataItems(expected);
    List<String> a = metadataItems(actual);
    if (!new HashSet<>(e).equals(new HashSet<>(a))) {
      out.add(new Difference("series", setDifference(e, a)));
    } else if (!e.equals(a)) {
      out.add(new Difference("order", "Prometheus: " + abbreviate(e.toString()) + "; Strata: " + abbreviate(a.toString())));
    } else if (e.size() != a.size()) {
      out.add(new Difference("series", "duplicates: Prometheus " + e.size() + ", Strata " + a.size()));
    }
  }

  private static List<String> metadataItems(JsonNode array) {
    List<String> items = new ArrayList<>();
    for (JsonNode item : array) {
      items.add(item.isObject() ? labels(item) : item.asText());
    }
    return items;
  }

  private static void compareResults(JsonNode expected, JsonNode actual, Order vectorOrder, List<Difference> out) {
    String type = expected.path("resultType").asText();
    if (!type.equals(actual.path("resultType").asText())) {
      out.add(new Difference("resultType",
          "Prometheus: " + type + "; Strata: " + actual.path("resultType").asText()));
      return;
    }
    JsonNode e = expected.path("result");
    JsonNode a = actual.path("result");
    switch (type) {
      case "scalar", "string" -> comparePoint("", e, a, type.equals("scalar"), out);
      case "vector" -> compareVector(e, a, vectorOrder, out);
      case "matrix" -> compareMatrix(e, a, out);
      default -> out.add(new Difference("resultType", "unknown result type " + type));
    }
  }

  private static void compareVector(JsonNode expected, JsonNode actual, Order order, List<Difference> out) {
    Map<String, JsonNode> e = byLabels(expected, "value");
    Map<String, JsonNode> a = byLabels(actual, "value");
    if (!e.keySet().equals(a.keySet())) {
      out.add(new Difference("series", setDifference(List.copyOf(e.keySet()), List.copyOf(a.keySet()))));
      return;
    }
    for (Map.Entry<String, JsonNode> entry : e.entrySet()) {
      if (comparePoint(entry.getKey(), entry.getValue(), a.get(entry.getKey()), true, out)) {
        return;
      }
    }
    if (order == Order.IGNORED) {
      return;
    }
    List<String> eKeys = List.copyOf(e.keySet());
    List<String> aKeys = List.copyOf(a.keySet());
    // Among equal values the order is unspecified: Go's sort is not stable.
    int i = 0;
    while (i < eKeys.size()) {
      String value = e.get(eKeys.get(i)).get(1).asText();
      int j = i;
      while (j < eKeys.size() && GoSampleValue.close(value, e.get(eKeys.get(j)).get(1).asText())) {
        j++;
      }
      if (order == Order.EXACT ? !eKeys.subList(i, j).equals(aKeys.subList(i, j))
          : !new HashSet<>(eKeys.subList(i, j)).equals(new HashSet<>(aKeys.subList(i, j)))) {
        out.add(new Difference("order", "Prometheus: " + abbreviate(ordered(expected))
            + "; Strata: " + abbreviate(ordered(actual))));
        return;
      }
      i = j;
    }
  }

  private static void compareMatrix(JsonNode expected, JsonNode actual, List<Difference> out) {
    Map<String, JsonNode> e = byLabels(expected, "values");
    Map<String, JsonNode> a = byLabels(actual, "values");
    if (!e.keySet().equals(a.keySet())) {
      out.add(new Difference("series", setDifference(List.copyOf(e.keySet()), List.copyOf(a.keySet()))));
      return;
    }
    if (!List.copyOf(e.keySet()).equals(List.copyOf(a.keySet()))) {
      out.add(new Difference("order", "Prometheus: " + abbreviate(e.keySet().toString())
          + "; Strata: " + abbreviate(a.keySet().toString())));
    }
    for (Map.Entry<String, JsonNode> entry : e.entrySet()) {
      JsonNode ePoints = entry.getValue();
      JsonNode aPoints = a.get(entry.getKey());
      if (ePoints.size() != aPoints.size()) {
        out.add(new Difference("points", entry.getKey() + ": Prometheus " + ePoints.size()
            + " points, Strata " + aPoints.size() + "; " + pointsOnlyOneSide(ePoints, aPoints)));
        return;
      }
      for (int i = 0; i < ePoints.size(); i++) {
        if (comparePoint(entry.getKey(), ePoints.get(i), aPoints.get(i), true, out)) {
          return;
        }
      }
    }
  }

  /** Compares one [timestamp, "value"] pair; true if it added a difference. */
  private static boolean comparePoint(String series, JsonNode e, JsonNode a, boolean numeric, List<Difference> out) {
    if (e.get(0).decimalValue().compareTo(a.get(0).decimalValue()) != 0) {
      out.add(new Difference("timestamps", series + ": Prometheus " + e + ", Strata " + a));
      return true;
    }
    String ev = e.get(1).asText();
    String av = a.get(1).asText();
    if (numeric ? !GoSampleValue.close(ev, av) : !ev.equals(av)) {
      out.add(new Difference("values", series + " at " + e.get(0) + ": Prometheus " + ev + ", Strata " + av));
      return true;
    }
    // The same number written differently is still a difference to a client reading the text.
    if (!ev.equals(av) && GoSampleValue.parse(ev) == GoSampleValue.parse(av)) {
      out.add(new Difference("value format", series + " at " + e.get(0) + ": Prometheus " + ev + ", Strata " + av));
      return true;
    }
    if (!e.get(0).asText().equals(a.get(0).asText())) {
      out.add(new Difference("timestamp format", series + ": Prometheus " + e.get(0) + ", Strata " + a.get(0)));
      return true;
    }
    return false;
  }

  private static Map<String, JsonNode> byLabels(JsonNode result, String field) {
    Map<String, JsonNode> map = new LinkedHashMap<>();
    for (JsonNode item : result) {
      map.put(labels(item.path("metric")), item.path(field));
    }
    return map;
  }

  /** {@code {a="1",b="2"}} with the names sorted, as a comparable key. */
  static String labels(JsonNode metric) {
    Map<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, JsonNode> f : metric.properties()) {
      sorted.put(f.getKey(), f.getValue().asText());
    }
    StringBuilder sb = new StringBuilder("{");
    sorted.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
    return sb.append('}').toString();
  }

  private static String ordered(JsonNode vector) {
    List<String> items = new ArrayList<>();
    for (JsonNode item : vector) {
      items.add(labels(item.path("metric")) + " " + item.path("value").get(1).asText());
    }
    return items.toString();
  }

  private static String setDifference(List<String> expected, List<String> actual) {
    Set<String> missing = new java.util.LinkedHashSet<>(expected);
    actual.forEach(missing::remove);
    Set<String> extra = new java.util.LinkedHashSet<>(actual);
    expected.forEach(extra::remove);
    return "Prometheus " + expected.size() + ", Strata " + actual.size()
        + (missing.isEmpty() ? "" : "; only Prometheus: " + abbreviate(missing.toString()))
        + (extra.isEmpty() ? "" : "; only Strata: " + abbreviate(extra.toString()));
  }

  // The points at times only one side has, to show where the series start or stop differently.
  private static String pointsOnlyOneSide(JsonNode expected, JsonNode actual) {
    Map<java.math.BigDecimal, String> e = pointsByTime(expected);
    Map<java.math.BigDecimal, String> a = pointsByTime(actual);
    Map<java.math.BigDecimal, String> onlyE = new TreeMap<>(e);
    a.keySet().forEach(onlyE::remove);
    Map<java.math.BigDecimal, String> onlyA = new TreeMap<>(a);
    e.keySet().forEach(onlyA::remove);
    return "only Prometheus: " + abbreviate(plain(onlyE)) + ", only Strata: " + abbreviate(plain(onlyA));
  }

  private static String plain(Map<java.math.BigDecimal, String> points) {
    StringBuilder sb = new StringBuilder("[");
    points.forEach((t, v) -> sb.append(sb.length() > 1 ? ", " : "").append(t.toPlainString()).append(' ').append(v));
    return sb.append(']').toString();
  }

  private static Map<java.math.BigDecimal, String> pointsByTime(JsonNode points) {
    Map<java.math.BigDecimal, String> map = new TreeMap<>();
    for (JsonNode p : points) {
      map.put(p.get(0).decimalValue().stripTrailingZeros(), p.get(1).asText());
    }
    return map;
  }

  private static String outline(JsonNode response) {
    if (response.path("status").asText().equals("error")) {
      return "error " + response.path("errorType").asText() + " \"" + response.path("error").asText() + "\"";
    }
    JsonNode data = response.path("data");
    String type = data.path("resultType").asText("");
    return response.path("status").asText() + (type.isEmpty() ? "" : " " + type)
        + " " + abbreviate(data.path("result").toString());
  }

  static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
