package dev.strata.examples.promql;

import dev.strata.tsdb.textparse.GoFloatFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Six hours of scrape-like data, every 15 s, as an OpenMetrics document: the shapes of the
 * compliance tester's demo service (so its query list applies unchanged) plus series that exercise
 * what the demo does not: counter resets, negative gauges, NaN and infinities, series that vanish
 * for longer than the lookback delta, and several jobs for vector matching.
 */
final class DifferentialData {
  static final long SCRAPE_INTERVAL_MS = 15_000;
  static final long SPAN_MS = 6 * 3_600_000L;

  /** Periods in which the gappy series have no samples, relative to the end: [from, to) minutes. */
  static final long[][] GAPS_MINUTES_BEFORE_END = {{230, 210}, {80, 68}};

  private static final String[] DEMO_INSTANCES = {
    "demo.promlabs.com:10000", "demo.promlabs.com:10001", "demo.promlabs.com:10002"
  };
  private static final String[] API_INSTANCES = {"api-1:8080", "api-2:8080"};

  private final long endMs;
  private final Random random = new Random(20230201);
  private final StringBuilder out = new StringBuilder();

  private DifferentialData(long endMs) {
    this.endMs = endMs;
  }

  /** The document whose newest samples are at (about) {@code endMs}. */
  static String generate(long endMs) {
    return new DifferentialData(endMs).build();
  }

  /** A time in the middle of the first gap: no series of the gappy families answers there. */
  static long gapMiddle(long endMs) {
    long[] gap = GAPS_MINUTES_BEFORE_END[0];
    return endMs - (gap[0] + gap[1]) / 2 * 60_000L;
  }

  private String build() {
    demoCpu();
    demoNumCpus();
    demoMemory();
    demoDisk();
    demoHistogram();
    demoBatch();
    demoIntermittent();
    httpRequests();
    instanceInfo();
    temperatures();
    ratios();
    queueDepth();
    greetings();
    out.append("# EOF\n");
    return out.toString();
  }

  // Counters per CPU mode; the 10001 instance restarts twice, so its counters reset to near zero.
  private void demoCpu() {
    family("demo_cpu_usage_seconds", "counter");
    String[] modes = {"idle", "system", "user"};
    for (int i = 0; i < DEMO_INSTANCES.length; i++) {
      for (int m = 0; m < modes.length; m++) {
        double v = random.nextInt(10_000);
        List<Double> values = new ArrayList<>();
        for (int s = 0; s < samples(); s++) {
          if (i == 1 && (s == 400 || s == 1000)) {
            v = random.nextDouble();
          }
          v += (m + 1) * 3.7 * random.nextDouble();
          values.add(round(v, 3));
        }
        series("demo_cpu_usage_seconds_total",
            labels("instance", DEMO_INSTANCES[i], "job", "demo", "mode", modes[m]), i, values, false);
      }
    }
  }

  private void demoNumCpus() {
    family("demo_num_cpus", "gauge");
    int[] cpus = {4, 4, 8};
    for (int i = 0; i < DEMO_INSTANCES.length; i++) {
      List<Double> values = new ArrayList<>();
      for (int s = 0; s < samples(); s++) {
        values.add((double) cpus[i]);
      }
      series("demo_num_cpus", labels("instance", DEMO_INSTANCES[i], "job", "demo"), i, values, false);
    }
  }

  private void demoMemory() {
    family("demo_memory_usage_bytes", "gauge");
    String[] types = {"buffers", "cached", "free", "used"};
    for (int i = 0; i < DEMO_INSTANCES.length; i++) {
      for (int t = 0; t < types.length; t++) {
        List<Double> values = new ArrayList<>();
        for (int s = 0; s < samples(); s++) {
          double wave = Math.sin((s + 37 * t + 11 * i) / 40.0);
          values.add(Math.round(1e9 * (t + 1) + 2e8 * wave + random.nextInt(1_000_000)) * 1.0);
        }
        series("demo_memory_usage_bytes",
            labels("instance", DEMO_INSTANCES[i], "job", "demo", "type", types[t]), i, values, false);
      }
    }
  }

  private void demoDisk() {
    family("demo_disk_usage_bytes", "gauge");
    for (int i = 0; i < DEMO_INSTANCES.length; i++) {
      double v = 1e11 * (i + 1);
      List<Double> values = new ArrayList<>();
      for (int s = 0; s < samples(); s++) {
        v += random.nextInt(50_000) - 10_000;
        values.add(v);
      }
      series("demo_disk_usage_bytes", labels("instance", DEMO_INSTANCES[i], "job", "demo"), i, values, false);
    }
  }

  // Classic histogram: cumulative buckets incl. +Inf, with _sum and _count, per method and status.
  private void demoHistogram() {
    family("demo_api_request_duration_seconds", "histogram");
    String[] bounds = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "+Inf"};
    String[][] routes = {{"GET", "200"}, {"POST", "200"}, {"GET", "500"}};
    for (int i = 0; i < DEMO_INSTANCES.length; i++) {
      for (String[] route : routes) {
        int n = bounds.length;
        List<List<Double>> buckets = new ArrayList<>();
        for (int b = 0; b < n; b++) {
          buckets.add(new ArrayList<>());
        }
        List<Double> sums = new ArrayList<>();
        long[] cumulative = new long[n];
        double sum = 0;
        for (int s = 0; s < samples(); s++) {
          int requests = route[1].equals("500") ? random.nextInt(3) : 5 + random.nextInt(40);
          for (int r = 0; r < requests; r++) {
            double latency = 0.00005 * Math.exp(random.nextGaussian() * 1.2 + 1.5);
            sum += latency;
            for (int b = 0; b < n; b++) {
              if (b == n - 1 || latency <= Double.parseDouble(bounds[b])) {
                cumulative[b]++;
              }
            }
          }
          for (int b = 0; b < n; b++) {
            buckets.get(b).add((double) cumulative[b]);
          }
          sums.add(round(sum, 6));
        }
        String common = "instance=\"" + DEMO_INSTANCES[i] + "\",job=\"demo\",method=\"" + route[0]
            + "\",path=\"/api/foo\",status=\"" + route[1] + "\"";
        for (int b = 0; b < n; b++) {
          series("demo_api_request_duration_seconds_bucket",
              "{" + common + ",le=\"" + bounds[b] + "\"}", i, buckets.get(b), false);
        }
        series("demo_api_request_duration_seconds_sum", "{" + common + "}", i, sums, false);
        series("demo_api_request_duration_seconds_count", "{" + common + "}", i,
            buckets.get(n - 1), false);
      }
    }
  }

  // A timestamp that moves in steps when a batch run succeeds; absent during the gaps.
  private void demoBatch() {
    family("demo_batch_last_success_timestamp_seconds", "gauge");
    for (int i = 0; i < DEMO_INSTANCES.length; i++) {
      List<Double> values = new ArrayList<>();
      double last = (start() - 600_000) / 1000.0;
      for (int s = 0; s < samples(); s++) {
        if (random.nextInt(20) == 0) {
          last = time(s, i) / 1000.0 - random.nextInt(5);
        }
        values.add(last);
      }
      series("demo_batch_last_success_timestamp_seconds",
          labels("instance", DEMO_INSTANCES[i], "job", "demo"), i, values, true);
    }
  }

  // As in the demo service: present only in even minutes.
  private void demoIntermittent() {
    family("demo_intermittent_metric", "gauge");
    StringBuilder sb = out;
    String labels = labels("instance", DEMO_INSTANCES[0], "job", "demo");
    for (int s = 0; s < samples(); s++) {
      long t = time(s, 0);
      if ((t / 60_000) % 2 == 0) {
        sb.append("demo_intermittent_metric").append(labels).append(' ').append(s % 7).append(' ')
            .append(seconds(t)).append('\n');
      }
    }
  }

  // Counters of a second job, with a code and handler, one instance restarting; gaps on api-2.
  private void httpRequests() {
    family("http_requests", "counter");
    String[] handlers = {"/api/v1/query", "/api/v1/query_range", "/metrics"};
    String[] codes = {"200", "400", "503"};
    for (int i = 0; i < API_INSTANCES.length; i++) {
      for (String handler : handlers) {
        for (String code : codes) {
          double v = 0;
          double rate = code.equals("200") ? 20 : code.equals("400") ? 1.5 : 0.2;
          List<Double> values = new ArrayList<>();
          for (int s = 0; s < samples(); s++) {
            if (i == 0 && s == 777) {
              v = 0;
            }
            v += Math.floor(rate * 15 * random.nextDouble());
            values.add(v);
          }
          series("http_requests_total", labels("code", code, "handler", handler,
              "instance", API_INSTANCES[i], "job", "api"), i, values, i == 1);
        }
      }
    }
  }

  // One info series per instance of both jobs, for group_left joins.
  private void instanceInfo() {
    family("instance_info", "gauge");
    String[] all = {API_INSTANCES[0], API_INSTANCES[1], DEMO_INSTANCES[0], DEMO_INSTANCES[1], DEMO_INSTANCES[2]};
    for (int i = 0; i < all.length; i++) {
      List<Double> values = new ArrayList<>();
      for (int s = 0; s < samples(); s++) {
        values.add(1.0);
      }
      String job = i < 2 ? "api" : "demo";
      series("instance_info", labels("instance", all[i], "job", job, "region", i % 2 == 0 ? "eu-west" : "us-east",
          "version", "v1." + (i % 3) + ".0"), i, values, false);
    }
  }

  // Gauges around zero, one sensor with gaps.
  private void temperatures() {
    family("node_temperature_celsius", "gauge");
    String[] sensors = {"ambient", "cpu", "outdoor"};
    for (int i = 0; i < API_INSTANCES.length; i++) {
      for (int k = 0; k < sensors.length; k++) {
        double base = k == 2 ? -8 : 20 + 25 * k;
        List<Double> values = new ArrayList<>();
        for (int s = 0; s < samples(); s++) {
          values.add(round(base + 12 * Math.sin(s / 90.0 + k) + random.nextGaussian(), 2));
        }
        series("node_temperature_celsius", labels("instance", API_INSTANCES[i], "job", "api",
            "sensor", sensors[k]), i, values, k == 2);
      }
    }
  }

  // A ratio that is sometimes NaN (0/0) or infinite (x/0).
  private void ratios() {
    family("cache_hit_ratio", "gauge");
    for (int i = 0; i < API_INSTANCES.length; i++) {
      List<Double> values = new ArrayList<>();
      for (int s = 0; s < samples(); s++) {
        double v = round(random.nextDouble(), 4);
        if (s % 53 == 7 + i) {
          v = Double.NaN;
        } else if (s % 97 == 11) {
          v = Double.POSITIVE_INFINITY;
        } else if (s % 89 == 5 + i) {
          v = Double.NEGATIVE_INFINITY;
        }
        values.add(v);
      }
      series("cache_hit_ratio", labels("instance", API_INSTANCES[i], "job", "api"), i, values, false);
    }
  }

  // Same labels as instance_info minus version: two series per instance for matching errors.
  private void queueDepth() {
    family("queue_depth", "gauge");
    String[] queues = {"high", "low"};
    for (int i = 0; i < API_INSTANCES.length; i++) {
      for (String q : queues) {
        List<Double> values = new ArrayList<>();
        for (int s = 0; s < samples(); s++) {
          values.add((double) random.nextInt(100) - 10);
        }
        series("queue_depth", labels("instance", API_INSTANCES[i], "job", "api", "queue", q), i, values, true);
      }
    }
  }

  // Label values outside ASCII, where Go's byte order and Java's UTF-16 order disagree (U+FF21
  // sorts before U+1F600 in UTF-8 bytes, after it in UTF-16), and values that need escaping.
  private void greetings() {
    family("greeting_info", "gauge");
    String[][] texts = {
        {"de", "Grüße"}, {"emoji", "\uD83D\uDE00"}, {"fullwidth", "\uFF21"}, {"ja", "こんにちは"},
        {"quoted", "say \\\"hi\\\"\\\\"}, {"plain", "hello"}};
    for (int k = 0; k < texts.length; k++) {
      List<Double> values = new ArrayList<>();
      for (int s = 0; s < samples(); s++) {
        values.add((double) k);
      }
      series("greeting_info", labels("instance", API_INSTANCES[0], "job", "api", "lang", texts[k][0],
          "text", texts[k][1]), 0, values, false);
    }
  }

  private void family(String name, String type) {
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void series(String name, String labels, int instance, List<Double> values, boolean gappy) {
    for (int s = 0; s < values.size(); s++) {
      long t = time(s, instance);
      if (gappy && isInGap(t)) {
        continue;
      }
      out.append(name).append(labels).append(' ').append(GoFloatFormat.format(values.get(s)))
          .append(' ').append(seconds(t)).append('\n');
    }
  }

  private boolean isInGap(long t) {
    for (long[] gap : GAPS_MINUTES_BEFORE_END) {
      if (t >= endMs - gap[0] * 60_000 && t < endMs - gap[1] * 60_000) {
        return true;
      }
    }
    return false;
  }

  private static String labels(String... pairs) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      sb.append(i == 0 ? "" : ",").append(pairs[i]).append("=\"").append(pairs[i + 1]).append('"');
    }
    return sb.append('}').toString();
  }

  private long start() {
    return endMs - SPAN_MS;
  }

  private int samples() {
    return (int) (SPAN_MS / SCRAPE_INTERVAL_MS);
  }

  // Scrapes of different targets happen at different offsets within the interval, as in reality.
  private long time(int sample, int instance) {
    return start() + (sample + 1) * SCRAPE_INTERVAL_MS - instance * 1_237L;
  }

  private static String seconds(long ms) {
    return String.format("%d.%03d", ms / 1000, ms % 1000);
  }

  private static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }
}
