package dev.strata.nomad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.tier.storeapi.StoreClient;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The local run's {@code --check}: PromQL through the querier, over the live head (through the
 * sidecar) and over the backfilled past (in the bucket, through the store gateway), each answer
 * compared with Prometheus's own for the same query; the store gateway asked directly for the
 * backfilled samples; and Prometheus's scrapes of every server it found through the job's service
 * discovery. Prints one line per check and a summary.
 */
final class TopologyCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI prometheus;
  private final URI querier;
  private final Set<String> externalLabels;
  private final PrintStream out;
  private int passed;
  private final List<String> failures = new ArrayList<>();

  /**
   * {@code prometheus} and {@code querier} are the APIs' bases (with their route prefixes); {@code
   * externalLabels} are Prometheus's, which the querier's answers carry and Prometheus's do not.
   */
  TopologyCheck(HttpClient http, URI prometheus, URI querier, Set<String> externalLabels, PrintStream out) {
    this.http = http;
    this.prometheus = prometheus;
    this.querier = querier;
    this.externalLabels = externalLabels;
    this.out = out;
  }

  /** Whether every check so far passed. */
  boolean ok() {
    return failures.isEmpty();
  }

  void summary() {
    out.printf("%d of %d checks passed%n", passed, passed + failures.size());
    failures.forEach(f -> out.println("  FAILED: " + f));
  }

  /** An instant query at {@code timeMs}, on both. */
  void instant(String query, long timeMs) throws Exception {
    compare("instant " + query, "/api/v1/query", "query", query, "time", seconds(timeMs));
  }

  /** A range query, on both. */
  void range(String query, long startMs, long endMs, long stepSeconds) throws Exception {
    compare("range   " + query + " [" + (endMs - startMs) / 60_000 + "m, step " + stepSeconds + "s]",
        "/api/v1/query_range", "query", query, "start", seconds(startMs), "end", seconds(endMs),
        "step", Long.toString(stepSeconds));
  }

  /** {@code GET /api/v1/series}, on both: the same series. */
  void series(String match, long startMs, long endMs) throws Exception {
    String name = "series  " + match;
    JsonNode p = get(prometheus, "/api/v1/series", "match[]", match, "start", seconds(startMs), "end", seconds(endMs));
    JsonNode q = get(querier, "/api/v1/series", "match[]", match, "start", seconds(startMs), "end", seconds(endMs));
    Set<Map<String, String>> ps = new TreeSet<>(TopologyCheck::compareLabels);
    Set<Map<String, String>> qs = new TreeSet<>(TopologyCheck::compareLabels);
    p.path("data").forEach(s -> ps.add(labels(s)));
    q.path("data").forEach(s -> {
      Map<String, String> l = labels(s);
      l.keySet().removeAll(externalLabels);
      qs.add(l);
    });
    record(name, ps.equals(qs) && !ps.isEmpty(), ps.size() + " series",
        "Prometheus " + ps + ", querier " + qs);
  }

  /** The store gateway, asked directly, holds exactly the samples Prometheus has for {@code metric} in the window. */
  void storeHolds(String storeAddress, String metric, long fromMs, long toMs) throws Exception {
    long fromStore = 0;
    try (StoreClient store = StoreClient.connect(storeAddress, fromMs, toMs)) {
      SeriesSet set = store.select(LabelMatcher.equal("__name__", metric));
      while (set.next()) {
        SampleIterator it = set.at().samples();
        while (it.next()) {
          long t = it.t();
          if (t >= fromMs && t <= toMs) {
            fromStore++;
          }
        }
      }
    }
    // The window (from - 1 ms, to]: both ends in, as in the store request.
    String count = "sum(count_over_time(" + metric + "[" + (toMs - fromMs + 1) + "ms] @ " + seconds(toMs) + "))";
    JsonNode p = get(prometheus, "/api/v1/query", "query", count, "time", seconds(toMs));
    JsonNode r = p.path("data").path("result");
    long fromPrometheus = r.size() == 0 ? 0 : (long) Double.parseDouble(r.get(0).path("value").get(1).asText());
    record("store   " + metric + " samples in the bucket, from the store gateway", fromStore == fromPrometheus && fromStore > 0,
        fromStore + " samples", "store gateway " + fromStore + ", Prometheus " + fromPrometheus);
  }

  /** Prometheus scrapes every {@code job} healthily (its targets found through the job's service discovery). */
  void scraped(Set<String> jobs, long timeMs) throws Exception {
    JsonNode p = get(prometheus, "/api/v1/query", "query", "up == 1", "time", seconds(timeMs));
    Set<String> up = new TreeSet<>();
    p.path("data").path("result").forEach(r -> up.add(r.path("metric").path("job").asText()));
    record("scrapes " + jobs, up.containsAll(jobs), "all up", "up: " + up);
  }

  /** No task logged an error (Strata's ERROR lines, Prometheus's level=error). */
  void logsClean(Map<String, String> logsByTask) {
    List<String> errors = new ArrayList<>();
    logsByTask.forEach((task, log) -> {
      for (String line : log.split("\n")) {
        if (line.contains(" ERROR ") || line.contains("level=error")) {
          errors.add(task + ": " + line);
        }
      }
    });
    record("logs    no task logged an error", errors.isEmpty(), logsByTask.size() + " tasks", String.join("\n", errors));
  }

  private void compare(String name, String path, String... params) throws Exception {
    JsonNode p = get(prometheus, path, params);
    JsonNode q = get(querier, path, params);
    Map<Map<String, String>, List<String[]>> ps = results(p, Set.of());
    Map<Map<String, String>, List<String[]>> qs = results(q, externalLabels);
    String diff = difference(ps, qs);
    int points = ps.values().stream().mapToInt(List::size).sum();
    record(name, diff == null && !ps.isEmpty(), ps.size() + " series, " + points + " points",
        diff != null ? diff : "Prometheus answered nothing");
  }

  private void record(String name, boolean ok, String detail, String failure) {
    if (ok) {
      passed++;
      out.printf("ok    %-90s %s%n", name, detail);
    } else {
      failures.add(name + ": " + failure);
      out.printf("FAIL  %-90s %s%n", name, failure);
    }
  }

  // Each result's labels (without the dropped ones) with its points as [time, value].
  private static Map<Map<String, String>, List<String[]>> results(JsonNode answer, Set<String> drop) {
    if (!"success".equals(answer.path("status").asText())) {
      throw new IllegalStateException("query failed: " + answer);
    }
    Map<Map<String, String>, List<String[]>> out = new TreeMap<>(TopologyCheck::compareLabels);
    for (JsonNode r : answer.path("data").path("result")) {
      Map<String, String> labels = labels(r.path("metric"));
      labels.keySet().removeAll(drop);
      List<String[]> points = new ArrayList<>();
      if (r.has("value")) {
        points.add(new String[] {r.path("value").get(0).asText(), r.path("value").get(1).asText()});
      }
      r.path("values").forEach(v -> points.add(new String[] {v.get(0).asText(), v.get(1).asText()}));
      out.put(labels, points);
    }
    return out;
  }

  // Null when equal (values equal as text, or within 1e-9 relative: the same samples summed in
  // another order), else the first difference.
  private static String difference(Map<Map<String, String>, List<String[]>> prometheus,
      Map<Map<String, String>, List<String[]>> querier) {
    if (!prometheus.keySet().equals(querier.keySet())) {
      return "series differ: Prometheus " + prometheus.keySet() + ", querier " + querier.keySet();
    }
    for (Map.Entry<Map<String, String>, List<String[]>> e : prometheus.entrySet()) {
      List<String[]> a = e.getValue();
      List<String[]> b = querier.get(e.getKey());
      if (a.size() != b.size()) {
        return e.getKey() + ": " + a.size() + " points from Prometheus, " + b.size() + " from the querier";
      }
      for (int i = 0; i < a.size(); i++) {
        if (!a.get(i)[0].equals(b.get(i)[0]) || !sameValue(a.get(i)[1], b.get(i)[1])) {
          return e.getKey() + " at " + a.get(i)[0] + ": Prometheus " + a.get(i)[1] + " @" + a.get(i)[0]
              + ", querier " + b.get(i)[1] + " @" + b.get(i)[0];
        }
      }
    }
    return null;
  }

  private static boolean sameValue(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      double x = Double.parseDouble(a);
      double y = Double.parseDouble(b);
      return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> labels = new TreeMap<>();
    metric.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static int compareLabels(Map<String, String> a, Map<String, String> b) {
    return a.toString().compareTo(b.toString());
  }

  /** GET base+path?params, parsed; an answer that is not JSON is an exception with its text. */
  JsonNode get(URI base, String path, String... params) throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < params.length; i += 2) {
      q.append(i == 0 ? '?' : '&').append(URLEncoder.encode(params[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    URI uri = URI.create(base + path + q);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IOException(uri + " answered " + r.statusCode() + ": " + r.body(), e);
    }
  }

  static String seconds(long ms) {
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : java.math.BigDecimal.valueOf(ms, 3).toPlainString();
  }
}
