package dev.strata.examples.promql;

import java.util.List;
import java.util.Map;

/**
 * One request sent to both servers. {@code name} says which kind of evaluation it is without
 * machine-dependent times (e.g. {@code instant@in-gap}, {@code range@37s}); with {@code subject}
 * (the query, or the endpoint's parameters) it identifies the evaluation in the known-differences
 * file.
 */
record Evaluation(
    String name,
    String subject,
    String path,
    List<Map.Entry<String, String>> params,
    boolean get,
    ResponseComparer.Order order) {

  String key() {
    return name + "\t" + subject;
  }
}
