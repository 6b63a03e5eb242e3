package dev.strata.promql.api;

import dev.strata.promql.Queryable;
import dev.strata.tsdb.encoding.GoFloatFormat;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /federate}, as Prometheus 2.42 answers it in the text format: the newest sample within the
 * lookback of every series matching any {@code match[]}, stale ones left out, grouped by metric
 * name under an {@code untyped} TYPE line, with the external labels the series lacks appended
 * (and {@code instance=""} when there is no external {@code instance}).
 */
final class Federation {
  private static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  private record Latest(Labels labels, long t, double v) {}

  private Federation() {}

  static ApiResponse answer(ApiRequest r, Queryable queryable, long now, long lookbackMs,
      Map<String, String> externalLabels) {
    List<List<LabelMatcher>> sets = new ArrayList<>();
    for (String s : r.params("match[]")) {
      try {
        sets.add(dev.strata.promql.parser.PromqlParser.parseMetricSelector(s));
      } catch (RuntimeException e) {
        return ApiResponse.text(400, e.getMessage() + "\n");
      }
    }
    TreeMap<Labels, Latest> latest = new TreeMap<>();
    try (Querier q = queryable.querier(now - lookbackMs, now)) {
      for (List<LabelMatcher> set : sets) {
        SeriesSet series = q.select(set.toArray(LabelMatcher[]::new));
        while (series.next()) {
          Labels labels = series.at().labels();
          if (latest.containsKey(labels)) {
            continue;
          }
          SampleIterator it = series.at().samples();
          long t = 0;
          double v = 0;
          boolean any = false;
          while (it.next()) {
            t = it.t();
            v = it.v();
            any = true;
          }
          if (any && Double.doubleToRawLongBits(v) != STALE_NAN_BITS) {
            latest.put(labels, new Latest(labels, t, v));
          }
        }
      }
    }
    List<Latest> byName = new ArrayList<>(latest.values());
    // Prometheus sorts by name only, with an unstable sort; a stable one keeps label order within.
    byName.sort(Comparator.comparing(s -> s.labels().metricName(), Comparator.nullsFirst(Comparator.naturalOrder())));
    TreeMap<String, String> external = new TreeMap<>(externalLabels);
    external.putIfAbsent("instance", "");
    StringBuilder out = new StringBuilder();
    String family = null;
    for (Latest s : byName) {
      String name = s.labels().metricName();
      if (name == null || name.isEmpty()) {
        continue; // nameless series are left out, as Prometheus does
      }
      if (!name.equals(family)) {
        out.append("# TYPE ").append(name).append(" untyped\n");
        family = name;
      }
      out.append(name);
      char sep = '{';
      for (int i = 0; i < s.labels().size(); i++) {
        if (!s.labels().name(i).equals(Labels.METRIC_NAME)) {
          sep = label(out, sep, s.labels().name(i), s.labels().value(i));
        }
      }
      for (Map.Entry<String, String> e : external.entrySet()) {
        if (!s.labels().has(e.getKey())) {
          sep = label(out, sep, e.getKey(), e.getValue());
        }
      }
      if (sep != '{') {
        out.append('}');
      }
      out.append(' ').append(GoFloatFormat.general(s.v())).append(' ').append(s.t()).append('\n');
    }
    return new ApiResponse(200, "text/plain; version=0.0.4; charset=utf-8",
        out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static char label(StringBuilder out, char sep, String name, String value) {
    out.append(sep).append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    out.append('"');
    return ',';
  }
}
