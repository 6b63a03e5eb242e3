package dev.strata.promql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.PrometheusServer;
import dev.strata.tsdb.testing.Promtool;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real Prometheus 2.42 over the same block: range and instant queries give the same
 * series, timestamps and values (within a relative 1e-6), and the same errors. The data mimics the
 * shapes of PromLabs' demo service (gauges, counters with resets, classic histograms, a metric with
 * gaps); the queries are Strata's own list plus, where the reference data beside the repository has
 * it, the compliance tester's list with its variants expanded.
 */
@Interop
class EnginePrometheusInteropTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final int SCRAPES = 720; // one hour at 5s
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<String, List<String>> VARIANTS =
      Map.ofEntries(
          Map.entry(
              "simpleAggrOp",
              List.of("sum", "avg", "max", "min", "count", "stddev", "stdvar", "group")),
          Map.entry("topBottomOp", List.of("topk", "bottomk")),
          Map.entry(
              "quantile",
              List.of("-0.5", "0.1", "0.5", "0.75", "0.95", "0.90", "0.99", "1", "1.5")),
          Map.entry(
              "binOp",
              List.of("+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=", "atan2")),
          Map.entry("compBinOp", List.of("==", "!=", ">", "<", ">=", "<=")),
          Map.entry("arithBinOp", List.of("+", "-", "*", "/", "%", "^", "atan2")),
          Map.entry(
              "simpleTimeAggrOp",
              List.of(
                  "avg", "sum", "max", "min", "count", "stddev", "stdvar", "absent", "present",
                  "last")),
          Map.entry("range", List.of("1s", "15s", "1m", "5m", "15m", "1h")),
          Map.entry("offset", List.of("1m", "5m", "10m")),
          Map.entry(
              "simpleMathFunc",
              List.of(
                  "abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "round", "sgn",
                  "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
                  "acosh", "atanh", "deg", "rad")),
          Map.entry("extrapolatedRateFunc", List.of("delta", "rate", "increase")),
          Map.entry("instantRateFunc", List.of("idelta", "irate")),
          Map.entry("clampFunc", List.of("clamp_min", "clamp_max")),
          Map.entry(
              "dateFunc",
              List.of(
                  "day_of_month",
                  "day_of_week",
                  "day_of_year",
                  "days_in_month",
                  "hour",
                  "minute",
                  "month",
                  "year")),
          Map.entry("smoothingFactor", List.of("0.1", "0.5", "0.8")),
          Map.entry("trendFactor", List.of("0.1", "0.5", "0.8")));

  private static final List<String> OWN_QUERIES =
      List.of(
          "demo_memory_usage_bytes",
          "rate(demo_cpu_usage_seconds_total[5m])",
          "sum by (instance) (rate(demo_cpu_usage_seconds_total[1m]))",
          "histogram_quantile(0.9, sum by (le)"
              + " (rate(demo_api_request_duration_seconds_bucket[5m])))",
          "count_values(\"value\", demo_num_cpus)",
          "count_values without(instance) (\"value\", demo_num_cpus)",
          "sum_over_time(demo_memory_usage_bytes[5m:30s])",
          "rate(demo_cpu_usage_seconds_total[5m] @ 1700002000)",
          "demo_memory_usage_bytes @ end()",
          "max_over_time(demo_memory_usage_bytes[1m:7s] offset 3m)",
          "demo_intermittent_metric offset -2m",
          "absent_over_time(demo_intermittent_metric[1m])",
          "present_over_time(demo_intermittent_metric[2m])",
          "last_over_time(demo_intermittent_metric[10m])",
          "demo_memory_usage_bytes and on(instance) demo_num_cpus > 5",
          "demo_memory_usage_bytes unless on(instance) demo_num_cpus > 5",
          "demo_num_cpus or demo_disk_usage_bytes",
          "scalar(sum(demo_num_cpus)) * demo_num_cpus",
          "stddev_over_time(demo_disk_usage_bytes[10m])",
          "quantile_over_time(0.3, rate(demo_cpu_usage_seconds_total[1m])[10m:])",
          "topk(2, rate(demo_cpu_usage_seconds_total[1m]))",
          "deriv(demo_cpu_usage_seconds_total[3m])",
          "predict_linear(demo_cpu_usage_seconds_total[3m], 3600)",
          "changes(demo_cpu_usage_seconds_total[10m])",
          "timestamp(demo_intermittent_metric)",
          "label_join(demo_num_cpus, \"x\", \",\", \"instance\", \"job\")",
          "round(demo_cpu_usage_seconds_total, 0.3)",
          "-demo_num_cpus",
          "demo_num_cpus % 3 == bool 1",
          "sum by (instance) (demo_memory_usage_bytes) / on(instance) group_right sum by (instance,"
              + " type) (demo_memory_usage_bytes)",
          "holt_winters(demo_disk_usage_bytes[10m], 0.3, 0.6)",
          "demo_api_request_duration_seconds_count / ignoring(le)"
              + " demo_api_request_duration_seconds_bucket",
          "demo_api_request_duration_seconds_bucket / ignoring(le) group_left"
              + " demo_api_request_duration_seconds_count",
          "timestamp(demo_memory_usage_bytes @ 1700001000)",
          "quantile(0.5, demo_num_cpus / 0)",
          "avg by (instance) (demo_memory_usage_bytes * Inf or demo_memory_usage_bytes * -Inf)",
          "absent(demo_memory_usage_bytes{job=\"x\", type=~\"y\", instance=\"a\","
              + " instance=\"b\"})");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void sameAnswersAsPrometheus(@TempDir Path dir) throws Exception {
    Path om = dir.resolve("data.om");
    writeDemoData(om);
    Path blocks = dir.resolve("blocks");
    Promtool.run(dir, "tsdb", "create-blocks-from", "openmetrics", om.toString(), blocks.toString())
        .assertSuccess();
    Path strataData = dir.resolve("strata");
    copyTree(blocks, strataData);
    List<String> queries = queries();
    List<String> mismatches = new ArrayList<>();
    AtomicInteger port = new AtomicInteger();
    Engine engine = new Engine();
    try (PrometheusServer server =
            PrometheusServer.start(
                dir,
                blocks,
                p -> {
                  port.set(p);
                  return "global:\n  scrape_interval: 5s\n";
                });
        Tsdb tsdb = Tsdb.open(strataData, TsdbOptions.defaults())) {
      URI base = URI.create("http://127.0.0.1:" + port.get());
      long start = T0 + 333_333;
      long end = T0 + 3_599_000;
      for (String q : queries) {
        compare(
            q,
            "range",
            prometheus(
                base,
                "query_range",
                Map.of("query", q, "start", seconds(start), "end", seconds(end), "step", "7")),
            () -> engine.rangeQuery(tsdb::querier, q, start, end, 7000).value(),
            mismatches);
        long at = T0 + 1_800_000;
        compare(
            q,
            "instant",
            prometheus(base, "query", Map.of("query", q, "time", seconds(at))),
            () -> engine.instantQuery(tsdb::querier, q, at).value(),
            mismatches);
      }
    }
    assertTrue(
        mismatches.isEmpty(),
        mismatches.size()
            + " of "
            + 2 * queries.size()
            + " evaluations differ:\n"
            + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
  }

  /** Strata's own queries, and the compliance tester's when its list is beside the repository. */
  private static List<String> queries() throws Exception {
    List<String> out = new ArrayList<>(OWN_QUERIES);
    Path workingDir = Path.of("").toAbsolutePath();
    Path list =
        Stream.of(workingDir.resolve("../shared"), workingDir.resolve("../../shared"))
            .map(
                p ->
                    p.normalize()
                        .resolve(
                            "promql-compliance/promql-test-queries.pre-3baf696-with-holt_winters.yml"))
            .filter(Files::isRegularFile)
            .findFirst()
            .orElse(null);
    if (list == null) {
      return out;
    }
    java.util.regex.Pattern query = java.util.regex.Pattern.compile("^\\s*-?\\s*query:\\s*(.*)$");
    java.util.regex.Pattern variable = java.util.regex.Pattern.compile("\\{\\{\\.(\\w+)\\}\\}");
    for (String line : Files.readAllLines(list)) {
      java.util.regex.Matcher m = query.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String q = m.group(1).strip();
      if (q.startsWith("'") || q.startsWith("\"")) {
        q = q.substring(1, q.length() - 1);
      }
      List<String> names = new ArrayList<>();
      java.util.regex.Matcher v = variable.matcher(q);
      while (v.find()) {
        if (!names.contains(v.group(1))) {
          names.add(v.group(1));
        }
      }
      expand(q, names, 0, out);
    }
    return out;
  }

  private static void expand(String q, List<String> names, int i, List<String> out) {
    if (i == names.size()) {
      out.add(q);
      return;
    }
    for (String value : VARIANTS.get(names.get(i))) {
      expand(q.replace("{{." + names.get(i) + "}}", value), names, i + 1, out);
    }
  }

  private JsonNode prometheus(URI base, String endpoint, Map<String, String> params)
      throws Exception {
    StringBuilder form = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (form.length() > 0) {
        form.append('&');
      }
      form.append(e.getKey())
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/v1/" + endpoint))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** Series as label text to timestamp to value, in either system's answer. */
  private static Map<String, Map<Long, Double>> fromPrometheus(JsonNode data) {
    Map<String, Map<Long, Double>> out = new LinkedHashMap<>();
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    if (type.equals("scalar")) {
      out.put("{}", Map.of(millis(result.get(0)), parse(result.get(1).asText())));
      return out;
    }
    for (JsonNode s : result) {
      Map<String, String> labels = new java.util.TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = s.path("metric").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        labels.put(e.getKey(), e.getValue().asText());
      }
      Map<Long, Double> points = new LinkedHashMap<>();
      if (type.equals("matrix")) {
        for (JsonNode p : s.path("values")) {
          points.put(millis(p.get(0)), parse(p.get(1).asText()));
        }
      } else {
        points.put(millis(s.path("value").get(0)), parse(s.path("value").get(1).asText()));
      }
      out.put((labels.isEmpty() ? Labels.EMPTY : Labels.fromMap(labels)).toString(), points);
    }
    return out;
  }

  private static Map<String, Map<Long, Double>> fromStrata(Value v) {
    Map<String, Map<Long, Double>> out = new LinkedHashMap<>();
    if (v instanceof Scalar s) {
      out.put("{}", Map.of(s.timestampMs(), s.value()));
    } else if (v instanceof Vector vec) {
      for (Sample s : vec.samples()) {
        out.put(s.labels().toString(), Map.of(s.timestampMs(), s.value()));
      }
    } else if (v instanceof Matrix m) {
      for (Matrix.Series s : m.series()) {
        Map<Long, Double> points = new LinkedHashMap<>();
        for (int i = 0; i < s.size(); i++) {
          points.put(s.timestamps()[i], s.values()[i]);
        }
        out.put(s.labels().toString(), points);
      }
    }
    return out;
  }

  private static long millis(JsonNode seconds) {
    return Math.round(seconds.asDouble() * 1000);
  }

  private static double parse(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  private static void compare(
      String q,
      String mode,
      JsonNode prom,
      java.util.concurrent.Callable<Value> strata,
      List<String> mismatches) {
    Value ours = null;
    String ourError = null;
    try {
      ours = strata.call();
    } catch (QueryException e) {
      ourError = e.getMessage();
    } catch (Exception e) {
      ourError = e.toString();
    }
    String where = mode + " " + q + ": ";
    if (!"success".equals(prom.path("status").asText())) {
      String theirs = prom.path("error").asText().replace("invalid parameter \"query\": ", "");
      if (ourError == null) {
        mismatches.add(where + "Prometheus fails (" + theirs + "), Strata does not");
      } else if (!theirs.equals(ourError)) {
        mismatches.add(
            where + "errors differ:\n    prometheus: " + theirs + "\n    strata:     " + ourError);
      }
      return;
    }
    if (ourError != null) {
      mismatches.add(where + "Strata fails: " + ourError);
      return;
    }
    Map<String, Map<Long, Double>> expected = fromPrometheus(prom.path("data"));
    Map<String, Map<Long, Double>> actual = fromStrata(ours);
    if (!expected.keySet().equals(actual.keySet())) {
      mismatches.add(
          where
              + "series differ:\n    prometheus: "
              + expected.keySet()
              + "\n    strata:     "
              + actual.keySet());
      return;
    }
    if (mode.equals("range")
        && !new ArrayList<>(expected.keySet()).equals(new ArrayList<>(actual.keySet()))) {
      mismatches.add(where + "range result not sorted as Prometheus sorts it");
    }
    for (Map.Entry<String, Map<Long, Double>> e : expected.entrySet()) {
      Map<Long, Double> a = actual.get(e.getKey());
      if (!e.getValue().keySet().equals(a.keySet())) {
        mismatches.add(where + e.getKey() + " has other timestamps");
        return;
      }
      for (Map.Entry<Long, Double> p : e.getValue().entrySet()) {
        double x = p.getValue();
        double y = a.get(p.getKey());
        boolean same =
            (Double.isNaN(x) && Double.isNaN(y))
                || x == y
                || Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y));
        if (!same) {
          mismatches.add(
              where + e.getKey() + " at " + p.getKey() + ": prometheus " + x + ", strata " + y);
          return;
        }
      }
    }
  }

  /** Demo-service shapes: per instance gauges, counters with resets, histograms, a gappy metric. */
  private static void writeDemoData(Path file) throws Exception {
    Random r = new Random(7);
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      for (int inst = 0; inst < 3; inst++) {
        String base = "instance=\"demo.promlabs.com:1000" + inst + "\",job=\"demo\"";
        for (String type : List.of("free", "used", "buffers", "cached")) {
          double v = 1e8 + r.nextInt(900_000_000);
          double[] values = new double[SCRAPES];
          for (int i = 0; i < SCRAPES; i++) {
            v += r.nextInt(2_000_001) - 1_000_000;
            values[i] = v;
          }
          series(w, "demo_memory_usage_bytes", base + ",type=\"" + type + "\"", values);
        }
        for (String mode : List.of("idle", "user", "system")) {
          double v = r.nextInt(1000);
          double[] values = new double[SCRAPES];
          for (int i = 0; i < SCRAPES; i++) {
            v = r.nextInt(100) == 0 ? r.nextInt(5) : v + r.nextInt(3000) / 1000.0;
            values[i] = Math.round(v * 1000) / 1000.0;
          }
          series(w, "demo_cpu_usage_seconds_total", base + ",mode=\"" + mode + "\"", values);
        }
        double[] cpus = new double[SCRAPES];
        java.util.Arrays.fill(cpus, r.nextBoolean() ? 4 : 8);
        series(w, "demo_num_cpus", base, cpus);
        double disk = 1e10 + r.nextInt(1_000_000_000);
        double slope = r.nextInt(200_001) - 100_000;
        double[] diskValues = new double[SCRAPES];
        for (int i = 0; i < SCRAPES; i++) {
          disk += slope + r.nextInt(20_001) - 10_000;
          diskValues[i] = disk;
        }
        series(w, "demo_disk_usage_bytes", base, diskValues);
        double last = T0 / 1000.0;
        double[] batch = new double[SCRAPES];
        for (int i = 0; i < SCRAPES; i++) {
          if (r.nextInt(20) == 0) {
            last = T0 / 1000.0 + i * 5;
          }
          batch[i] = last;
        }
        series(w, "demo_batch_last_success_timestamp_seconds", base, batch);
        String[] bounds = {
          "0.0001", "0.00015", "0.0002", "0.0005", "0.001", "0.01", "0.1", "1", "+Inf"
        };
        for (String path : List.of("/api/foo", "/api/bar")) {
          for (String method : List.of("GET", "POST")) {
            String h = base + ",method=\"" + method + "\",path=\"" + path + "\",status=\"200\"";
            double[][] buckets = new double[bounds.length][SCRAPES];
            double[] counts = new double[bounds.length];
            for (int i = 0; i < SCRAPES; i++) {
              int n = r.nextInt(21);
              for (int k = 0; k < n; k++) {
                double obs = -Math.log(1 - r.nextDouble()) * 0.002;
                for (int b = 0; b < bounds.length; b++) {
                  if (b == bounds.length - 1 || obs <= Double.parseDouble(bounds[b])) {
                    counts[b]++;
                  }
                }
              }
              for (int b = 0; b < bounds.length; b++) {
                buckets[b][i] = counts[b];
              }
            }
            for (int b = 0; b < bounds.length; b++) {
              series(
                  w,
                  "demo_api_request_duration_seconds_bucket",
                  h + ",le=\"" + bounds[b] + "\"",
                  buckets[b]);
            }
            series(w, "demo_api_request_duration_seconds_count", h, buckets[bounds.length - 1]);
          }
        }
        double[] gappy = new double[SCRAPES];
        for (int i = 0; i < SCRAPES; i++) {
          gappy[i] = (i / 90) % 2 == 0 ? 1 : Double.NaN; // NaN here: no sample
        }
        series(w, "demo_intermittent_metric", base, gappy);
      }
      w.write("# EOF\n");
    }
  }

  private static void series(BufferedWriter w, String name, String labels, double[] values)
      throws Exception {
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        continue;
      }
      w.write(name + "{" + labels + "} " + values[i] + " " + (T0 / 1000 + i * 5L) + "\n");
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
