package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.textparse.GoFloatFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Series with known samples, written as OpenMetrics text for backfills and rendered as the lines
 * {@code promtool tsdb dump} must print for them.
 *
 * <p>The mix is meant to exercise the tools: counters and gauges scraped every 15 s over several
 * 2 h blocks, series that start or stop half-way (churn), label values with quotes, backslashes,
 * newlines and non-ASCII text, special values (NaN, infinities, negative zero, extremes), irregular
 * millisecond timestamps, and many metric and label names with equal counts, whose order in
 * promtool's rankings is decided by Go's sort.
 */
final class OpenMetricsFixture {
  static final long STEP = 15_000;

  /** A series: its labels and its samples in time order. */
  record Series(String family, String type, Labels labels, long[] t, double[] v) {}

  private final List<Series> series = new ArrayList<>();

  /** Series covering {@code [start, start + span)} (milliseconds). */
  static OpenMetricsFixture realistic(long seed, long start, long span) {
    OpenMetricsFixture f = new OpenMetricsFixture();
    Random rnd = new Random(seed);
    String[] codes = {"200", "404", "500"};
    String[] methods = {"GET", "POST"};
    for (int i = 0; i < 4; i++) {
      for (String code : codes) {
        for (String method : methods) {
          Labels l = Labels.of("__name__", "http_requests_total", "code", code, "method", method,
              "instance", "host-" + i, "job", "api");
          // Instance 3 appears an hour late: churn.
          f.add("http_requests", "counter", l, start + (i == 3 ? 3_600_000 : 0), start + span,
              STEP, rnd, Shape.COUNTER);
        }
      }
    }
    String[] zones = {"z\u00fcrich", "\u6771\u4eac", "quote\"d", "back\\slash", "new\nline"};
    for (String zone : zones) {
      f.add("node_temperature_celsius", "gauge",
          Labels.of("__name__", "node_temperature_celsius", "zone", zone), start, start + span,
          STEP, rnd, Shape.GAUGE);
    }
    for (int m = 0; m < 30; m++) {
      String name = String.format("app_metric_%02d", m);
      for (int i = 0; i < 3; i++) {
        // Every metric has three series, so the metric names tie in promtool's ranking.
        long from = start + (m % 4) * 1_800_000L;
        f.add(name, "gauge", Labels.of("__name__", name, "instance", "host-" + i), from,
            start + span - (m % 3) * 900_000L, STEP, rnd, m % 2 == 0 ? Shape.GAUGE : Shape.COUNTER);
      }
    }
    for (int s = 0; s < 2; s++) {
      // Fourteen label names with two values each: ties among label names.
      Labels.Builder b = Labels.builder().set("__name__", "batch_jobs");
      for (char c = 'a'; c <= 'n'; c++) {
        b.set("dim_" + c, s == 0 ? "x" : "y");
      }
      f.add("batch_jobs", "gauge", b.build(), start, start + span, 60_000, rnd, Shape.GAUGE);
    }
    f.add("odd_values", "gauge", Labels.of("__name__", "odd_values"), start, start + span, STEP,
        rnd, Shape.SPECIAL);
    f.add("irregular", "gauge", Labels.of("__name__", "irregular", "kind", "jitter"), start,
        start + span, 0, rnd, Shape.GAUGE);
    return f;
  }

  /** A few series near {@code now}, for a running Prometheus. */
  static OpenMetricsFixture recent(long start, long span) {
    OpenMetricsFixture f = new OpenMetricsFixture();
    Random rnd = new Random(1);
    for (int i = 0; i < 3; i++) {
      f.add("strata_backfilled", "gauge", Labels.of("__name__", "strata_backfilled", "instance",
          "host-" + i), start, start + span, STEP, rnd, Shape.GAUGE);
    }
    return f;
  }

  private enum Shape { COUNTER, GAUGE, SPECIAL }

  private static final double[] SPECIALS = {
    Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 1e-300,
    Double.MAX_VALUE, Double.MIN_VALUE, 0.1 + 0.2, 123456789012345680000.0, -1.5e-7, 1e6
  };

  // step 0: irregular steps of 1 ms to 60 s.
  private void add(String family, String type, Labels labels, long from, long to, long step,
      Random rnd, Shape shape) {
    List<Long> ts = new ArrayList<>();
    for (long t = from; t < to; t += step == 0 ? 1 + rnd.nextInt(60_000) : step) {
      ts.add(t);
    }
    long[] t = new long[ts.size()];
    double[] v = new double[t.length];
    double x = rnd.nextInt(1000);
    for (int i = 0; i < t.length; i++) {
      t[i] = ts.get(i);
      switch (shape) {
        case COUNTER -> x += rnd.nextInt(50);
        case GAUGE -> x = Math.round((x + rnd.nextGaussian()) * 100) / 100.0;
        case SPECIAL -> x = SPECIALS[i % SPECIALS.length];
      }
      v[i] = x;
    }
    series.add(new Series(family, type, labels, t, v));
  }

  List<Series> series() {
    return series;
  }

  /** The OpenMetrics text: families in turn, each series with all its samples, then # EOF. */
  String text() {
    StringBuilder sb = new StringBuilder();
    String family = null;
    for (Series s : series) {
      if (!s.family().equals(family)) {
        family = s.family();
        sb.append("# TYPE ").append(family).append(' ').append(s.type()).append('\n');
      }
      StringBuilder prefix = new StringBuilder(s.labels().metricName());
      String sep = "{";
      for (int i = 0; i < s.labels().size(); i++) {
        if (s.labels().name(i).equals(Labels.METRIC_NAME)) {
          continue;
        }
        prefix.append(sep).append(s.labels().name(i)).append("=\"")
            .append(s.labels().value(i).replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n"))
            .append('"');
        sep = ",";
      }
      if (!sep.equals("{")) {
        prefix.append('}');
      }
      for (int i = 0; i < s.t().length; i++) {
        long t = s.t()[i];
        sb.append(prefix).append(' ').append(GoFloatFormat.format(s.v()[i])).append(' ')
            .append(t / 1000).append('.').append(String.format("%03d", t % 1000)).append('\n');
      }
    }
    return sb.append("# EOF\n").toString();
  }

  Path write(Path file) throws IOException {
    Files.writeString(file, text(), StandardCharsets.UTF_8);
    return file;
  }

  /** What promtool's dump prints for these series: by labels, then by time. */
  List<String> dumpLines() {
    List<Series> sorted = new ArrayList<>(series);
    sorted.sort(Comparator.comparing(Series::labels));
    List<String> out = new ArrayList<>();
    for (Series s : sorted) {
      for (int i = 0; i < s.t().length; i++) {
        out.add(s.labels() + " " + GoFloatFormat.format(s.v()[i]) + " " + s.t()[i]);
      }
    }
    return out;
  }

  long sampleCount() {
    long n = 0;
    for (Series s : series) {
      n += s.t().length;
    }
    return n;
  }
}
