package dev.strata.examples.cli.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Requests to and answers of Prometheus's HTTP API, in forms tests compare easily. */
final class ApiAnswers {
  private ApiAnswers() {}

  /** A query string from parameters given as name, value, ...; empty for none. */
  static String query(String... params) {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < params.length; i += 2) {
      q.append(i == 0 ? '?' : '&').append(URLEncoder.encode(params[i], StandardCharsets.UTF_8))
          .append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  /** Each result's labels (as a map) with its value or values, in the answer's order. */
  static Map<Map<String, String>, List<String>> results(JsonNode answer) {
    Map<Map<String, String>, List<String>> out = new LinkedHashMap<>();
    for (JsonNode r : answer.path("data").path("result")) {
      Map<String, String> labels = new TreeMap<>();
      r.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      List<String> values = new ArrayList<>();
      if (r.has("value")) {
        values.add(r.path("value").get(1).asText());
      }
      for (JsonNode v : r.path("values")) {
        values.add(v.get(1).asText());
      }
      out.put(labels, values);
    }
    return out;
  }

  /**
   * Each result's labels (as a map) with its samples, time in milliseconds to value, in the
   * answer's order; for range queries, whose points are compared by time.
   */
  static Map<Map<String, String>, TreeMap<Long, Double>> samples(JsonNode answer) {
    Map<Map<String, String>, TreeMap<Long, Double>> out = new LinkedHashMap<>();
    for (JsonNode r : answer.path("data").path("result")) {
      Map<String, String> labels = new TreeMap<>();
      r.path("metric").fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      TreeMap<Long, Double> points = new TreeMap<>();
      for (JsonNode v : r.path("values")) {
        points.put(Math.round(v.get(0).asDouble() * 1000), Double.parseDouble(v.get(1).asText()));
      }
      out.put(labels, points);
    }
    return out;
  }

  /** Unix seconds as the API writes them: whole seconds without a fraction, else milliseconds. */
  static String seconds(long ms) {
    return ms % 1000 == 0 ? Long.toString(ms / 1000)
        : java.math.BigDecimal.valueOf(ms, 3).toPlainString();
  }

  /** {@code answer}'s series with the labels given as name, value, ... added to each. */
  static <V> Map<Map<String, String>, V> withLabels(Map<Map<String, String>, V> answer,
      String... labels) {
    Map<Map<String, String>, V> out = new LinkedHashMap<>();
    answer.forEach((l, v) -> {
      Map<String, String> all = new TreeMap<>(l);
      all.putAll(series(labels));
      out.put(all, v);
    });
    return out;
  }

  static Map<String, String> series(String... labels) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      m.put(labels[i], labels[i + 1]);
    }
    return m;
  }
}
