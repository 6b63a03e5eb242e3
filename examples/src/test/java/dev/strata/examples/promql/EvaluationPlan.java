package dev.strata.examples.promql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which requests to send for each query: instant queries at a few named times (inside the data,
 * near its end, in a gap, just after the end, just before the start) and range queries over one or two hours with steps
 * that do and do not divide the scrape interval; plus the metadata endpoints.
 */
final class EvaluationPlan {
  // The outermost call of a query whose instant result has a meaningful order.
  private static final Pattern ORDERING =
      Pattern.compile("^\\(*\\s*(sort|sort_desc|topk|bottomk)\\b.*", Pattern.DOTALL);

  private static final Pattern TIME_PLACEHOLDER = Pattern.compile("\\{\\{time:(\\w+)}}");

  private final long endMs;

  EvaluationPlan(long endMs) {
    this.endMs = endMs;
  }

  /** All evaluations of a query of Strata's own corpus. */
  List<Evaluation> full(String query) {
    List<Evaluation> list = new ArrayList<>();
    list.add(instant("instant@inside", query, endMs - 3 * 3_600_000L + 7_321));
    list.add(instant("instant@near-end", query, endMs - 12_000));
    list.add(instant("instant@in-gap", query, DifferentialData.gapMiddle(endMs)));
    list.add(instant("instant@after-end", query, endMs + 4 * 60_000));
    list.add(instant("instant@before-start", query, endMs - DifferentialData.SPAN_MS - 2 * 60_000));
    // The newest sample of the first instance is exactly at the end: 5 minutes later it is just
    // inside the lookback window and a [5m] range (both closed in 2.x), the others just outside.
    list.add(instant("instant@lookback-edge", query, endMs + 5 * 60_000));
    list.add(range("range@60s", query, endMs - 2 * 3_600_000L, endMs - 3_600_000L, "60"));
    list.add(range("range@37s", query, endMs - 100 * 60_000L + 500, endMs - 40 * 60_000L, "37"));
    list.add(range("range@5m", query, endMs - 130 * 60_000L, endMs + 10 * 60_000L, "5m"));
    // Steps on the first instance's scrape times: window edges fall exactly on samples.
    list.add(range("range@15s", query, endMs - 30 * 60_000L, endMs, "15"));
    return list;
  }

  /**
   * The compliance tester's own evaluation (a 10-minute range at a 10 s step, ending 12 minutes
   * before the newest data as its end ends 12 minutes before now) and one instant query.
   */
  List<Evaluation> compliance(String query) {
    long end = endMs - 12 * 60_000L;
    return List.of(
        instant("compliance:instant@near-end", query, end),
        range("compliance:range@10s", query, end - 10 * 60_000L, end, "10"));
  }

  /** /series, /labels and /label/<name>/values, with and without match[] and a time range. */
  List<Evaluation> metadata() {
    List<Evaluation> list = new ArrayList<>();
    String start = seconds(endMs - 4 * 3_600_000L);
    String end = seconds(endMs - 3 * 3_600_000L - 40 * 60_000L);
    String gapStart = seconds(DifferentialData.gapMiddle(endMs) - 60_000);
    String gapEnd = seconds(DifferentialData.gapMiddle(endMs) + 60_000);
    List<List<String>> matchSets = List.of(
        List.of("{__name__=~\"demo_.*\"}"),
        List.of("http_requests_total{code=\"200\"}", "queue_depth"),
        List.of("{job=\"api\", instance=~\"api-2.*\"}"),
        List.of("{__name__=~\".+\"}"),
        List.of("nonexistent_metric"),
        List.of("greeting_info{text!=\"hello\"}"));
    for (List<String> matches : matchSets) {
      list.add(metadata("series", "/api/v1/series", matches, null, null, false));
      list.add(metadata("series@range", "/api/v1/series", matches, start, end, false));
      list.add(metadata("series@in-gap", "/api/v1/series", matches, gapStart, gapEnd, false));
      list.add(metadata("labels", "/api/v1/labels", matches, null, null, false));
      list.add(metadata("label-values:instance", "/api/v1/label/instance/values", matches, null, null, true));
      list.add(metadata("label-values:__name__@in-gap", "/api/v1/label/__name__/values", matches,
          gapStart, gapEnd, true));
    }
    list.add(metadata("labels", "/api/v1/labels", List.of(), null, null, false));
    list.add(metadata("labels@range", "/api/v1/labels", List.of(), start, end, false));
    for (String name : List.of("__name__", "job", "instance", "le", "sensor", "text", "nonexistent")) {
      list.add(metadata("label-values:" + name, "/api/v1/label/" + name + "/values", List.of(), null, null, true));
      list.add(metadata("label-values:" + name + "@in-gap", "/api/v1/label/" + name + "/values", List.of(),
          gapStart, gapEnd, true));
    }
    list.add(metadata("series:no-match", "/api/v1/series", List.of(), null, null, false));
    list.add(metadata("series:bad-match", "/api/v1/series", List.of("{"), null, null, false));
    list.add(metadata("series:only-empty-matchers", "/api/v1/series", List.of("{job!=\"x\"}"), null, null, false));
    list.add(metadata("labels:bad-match", "/api/v1/labels", List.of("demo_num_cpus{"), null, null, false));
    list.add(metadata("label-values:invalid-name", "/api/v1/label/1abc/values", List.of(), null, null, true));
    list.add(metadata("label-values:unparsable-start", "/api/v1/label/job/values", List.of(), "soon", end, true));
    return list;
  }

  private Evaluation metadata(String name, String path, List<String> matches, String start, String end, boolean get) {
    List<Map.Entry<String, String>> params = new ArrayList<>();
    matches.forEach(m -> params.add(Map.entry("match[]", m)));
    if (start != null) {
      params.add(Map.entry("start", start));
      params.add(Map.entry("end", end));
    }
    return new Evaluation(name, String.join(" ", matches), path, params, get, ResponseComparer.Order.EXACT);
  }

  private Evaluation instant(String name, String query, long timeMs) {
    ResponseComparer.Order order = ORDERING.matcher(query.strip()).matches()
        ? ResponseComparer.Order.BY_VALUE : ResponseComparer.Order.IGNORED;
    return new Evaluation(name, query, "/api/v1/query",
        List.of(Map.entry("query", withTimes(query)), Map.entry("time", seconds(timeMs))), false, order);
  }

  private Evaluation range(String name, String query, long startMs, long endMs, String step) {
    return new Evaluation(name, query, "/api/v1/query_range",
        List.of(Map.entry("query", withTimes(query)), Map.entry("start", seconds(startMs)),
            Map.entry("end", seconds(endMs)), Map.entry("step", step)),
        false, ResponseComparer.Order.EXACT);
  }

  /**
   * The query with its time placeholders ({@code {{time:NAME}}}, for {@code @ <t>}) replaced by
   * times in the data. The query is named by its placeholders, so names stay the same every hour.
   */
  private String withTimes(String query) {
    Matcher m = TIME_PLACEHOLDER.matcher(query);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      long t = switch (m.group(1)) {
        case "start" -> endMs - DifferentialData.SPAN_MS;
        case "inside" -> endMs - 3 * 3_600_000L + 7_321;
        case "gap" -> DifferentialData.gapMiddle(endMs);
        case "end" -> endMs;
        default -> throw new IllegalArgumentException("unknown time placeholder in " + query);
      };
      m.appendReplacement(sb, seconds(t));
    }
    return m.appendTail(sb).toString();
  }

  /**
   * Requests the API must refuse (or accept) for their parameters alone: bad times and steps, too
   * many points, a string in a range query.
   */
  List<Evaluation> parameterChecks() {
    String end = seconds(endMs);
    String hourBefore = seconds(endMs - 3_600_000L);
    List<Evaluation> list = new ArrayList<>();
    list.add(rawRange("end before start", "demo_num_cpus", end, hourBefore, "60"));
    list.add(rawRange("zero step", "demo_num_cpus", hourBefore, end, "0"));
    list.add(rawRange("negative step", "demo_num_cpus", hourBefore, end, "-15"));
    list.add(rawRange("too many points", "demo_num_cpus", hourBefore, end, "0.3"));
    list.add(rawRange("string expression", "\"text\"", hourBefore, end, "60"));
    list.add(rawRange("duration step", "demo_num_cpus", hourBefore, end, "1m30s"));
    list.add(rawRange("fractional step", "demo_num_cpus", hourBefore, end, "90.5"));
    list.add(rawRange("RFC 3339 times", "demo_num_cpus", java.time.Instant.ofEpochMilli(endMs - 3_600_000L).toString(),
        java.time.Instant.ofEpochMilli(endMs).toString(), "300"));
    list.add(rawRange("unparsable start", "demo_num_cpus", "yesterday", end, "60"));
    list.add(rawRange("unparsable step", "demo_num_cpus", hourBefore, end, "often"));
    list.add(rawInstant("unparsable time", "demo_num_cpus", "noon"));
    list.add(rawInstant("fractional time", "demo_num_cpus", seconds(endMs - 60_000) + "4567"));
    list.add(rawInstant("empty query", "", end));
    list.add(rawInstant("string expression", "\"text\"", end));
    list.add(new Evaluation("api:query no query", "", "/api/v1/query",
        List.of(Map.entry("time", end)), false, ResponseComparer.Order.IGNORED));
    list.add(new Evaluation("api:query_range no step", "demo_num_cpus", "/api/v1/query_range",
        List.of(Map.entry("query", "demo_num_cpus"), Map.entry("start", hourBefore), Map.entry("end", end)),
        false, ResponseComparer.Order.EXACT));
    list.add(new Evaluation("api:query_exemplars", "demo_num_cpus", "/api/v1/query_exemplars",
        List.of(Map.entry("query", "demo_num_cpus"), Map.entry("start", hourBefore), Map.entry("end", end)),
        false, ResponseComparer.Order.EXACT));
    list.add(new Evaluation("api:metadata", "", "/api/v1/metadata", List.of(), true, ResponseComparer.Order.EXACT));
    // The same checks by GET, as clients configured for GET send them.
    for (Evaluation e : List.copyOf(list)) {
      list.add(new Evaluation(e.name() + " (GET)", e.subject(), e.path(), e.params(), true, e.order()));
    }
    return list;
  }

  /** {@code /api/v1/format_query}: the query as Prometheus's printer writes it, or the parse error. */
  Evaluation formatQuery(String query) {
    return new Evaluation("format_query", query, "/api/v1/format_query",
        List.of(Map.entry("query", withTimes(query))), false, ResponseComparer.Order.EXACT);
  }

  private static Evaluation rawRange(String what, String query, String start, String end, String step) {
    return new Evaluation("api:query_range " + what, query, "/api/v1/query_range",
        List.of(Map.entry("query", query), Map.entry("start", start), Map.entry("end", end),
            Map.entry("step", step)), false, ResponseComparer.Order.EXACT);
  }

  private static Evaluation rawInstant(String what, String query, String time) {
    return new Evaluation("api:query " + what, query, "/api/v1/query",
        List.of(Map.entry("query", query), Map.entry("time", time)), false, ResponseComparer.Order.IGNORED);
  }

  private static String seconds(long ms) {
    return String.format("%d.%03d", ms / 1000, ms % 1000);
  }
}
