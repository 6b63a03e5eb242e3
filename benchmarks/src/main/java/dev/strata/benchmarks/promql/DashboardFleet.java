package dev.strata.benchmarks.promql;

import dev.strata.benchmarks.downsample.RawBlockGenerator;
import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The series a dashboard queries, for a fleet of hosts each running one web service and a node
 * exporter, 30 series per host: {@code http_requests_total} (2 methods x 4 codes), a classic
 * histogram {@code http_request_duration_seconds} (10 buckets, {@code _sum}, {@code _count}),
 * {@code node_cpu_seconds_total} (2 CPUs x 4 modes), {@code node_memory_MemAvailable_bytes} and
 * {@code node_load1}.
 *
 * <p>Samples are a pure function of the seed, the series and the scrape's number since the start
 * of the data, so blocks written one after the other continue each other's counters and gauges.
 * Whatever a host's series share is drawn from the host's own stream, not the series': the
 * scrape timestamps (all series of a target are scraped together), the restarts that reset every
 * counter of the service, and the requests behind the histogram, so that its buckets stay
 * cumulative and its {@code +Inf} bucket equals {@code _count}, as a real client library's do.
 */
final class DashboardFleet implements RawBlockGenerator.SampleSource {
  static final int SERIES_PER_HOST = 30;
  static final long SCRAPE_MS = 15_000;

  private static final String[] JOBS = {"api", "web", "auth", "search", "checkout"};
  private static final String[] METHODS = {"GET", "POST"};
  private static final String[] CODES = {"200", "404", "500", "503"};
  // Requests per second of each method and code: mostly successes, a trickle of errors.
  private static final double[][] REQUEST_RATES = {{40, 1.5, 0.2, 0.05}, {8, 0.3, 0.1, 0.02}};
  private static final String[] MODES = {"idle", "user", "system", "iowait"};
  private static final double[] MODE_SHARES = {0.70, 0.22, 0.06, 0.02};
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  private static final double GIB = 1L << 30;
  // One restart of a service in about 12 h of 15 s scrapes: enough to see counter resets.
  private static final double RESTART_PROBABILITY = 1.0 / 2880;

  private enum Kind { REQUESTS, BUCKET, SUM, COUNT, CPU, MEMORY, LOAD }

  private final long seed;
  private final long dataStart;
  private final List<Labels> labels = new ArrayList<>();
  private final Kind[] kinds;
  private final int[] hosts;
  private final int[] variants; // which method/code, bucket or CPU mode the series is
  private final double[] values; // each series' last value, carried from block to block
  private final long[] nextScrape; // the scrape number each series continues from

  DashboardFleet(int hostCount, long seed, long dataStart) {
    this.seed = seed;
    this.dataStart = dataStart;
    int n = hostCount * SERIES_PER_HOST;
    kinds = new Kind[n];
    hosts = new int[n];
    variants = new int[n];
    values = new double[n];
    nextScrape = new long[n];
    for (int h = 0; h < hostCount; h++) {
      String job = JOBS[h % JOBS.length];
      String app = String.format("host-%04d:8080", h);
      String node = String.format("host-%04d:9100", h);
      for (int m = 0; m < METHODS.length; m++) {
        for (int c = 0; c < CODES.length; c++) {
          add(Kind.REQUESTS, h, m * CODES.length + c, Labels.of("__name__", "http_requests_total",
              "job", job, "instance", app, "method", METHODS[m], "code", CODES[c]));
        }
      }
      for (int b = 0; b <= BUCKETS.length; b++) {
        String le = b < BUCKETS.length ? bound(BUCKETS[b]) : "+Inf";
        add(Kind.BUCKET, h, b, Labels.of("__name__", "http_request_duration_seconds_bucket",
            "job", job, "instance", app, "le", le));
      }
      add(Kind.SUM, h, 0,
          Labels.of("__name__", "http_request_duration_seconds_sum", "job", job, "instance", app));
      add(Kind.COUNT, h, 0,
          Labels.of("__name__", "http_request_duration_seconds_count", "job", job, "instance", app));
      for (int cpu = 0; cpu < 2; cpu++) {
        for (int mode = 0; mode < MODES.length; mode++) {
          add(Kind.CPU, h, mode, Labels.of("__name__", "node_cpu_seconds_total", "job", "node",
              "instance", node, "cpu", Integer.toString(cpu), "mode", MODES[mode]));
        }
      }
      add(Kind.MEMORY, h, 0,
          Labels.of("__name__", "node_memory_MemAvailable_bytes", "job", "node", "instance", node));
      add(Kind.LOAD, h, 0, Labels.of("__name__", "node_load1", "job", "node", "instance", node));
    }
    for (int i = 0; i < n; i++) {
      values[i] = initialValue(i);
    }
  }

  // "1", not "1.0", as Go's client libraries write whole bounds.
  private static String bound(double le) {
    return le == Math.rint(le) ? Long.toString((long) le) : Double.toString(le);
  }

  private void add(Kind kind, int host, int variant, Labels l) {
    int i = labels.size();
    kinds[i] = kind;
    hosts[i] = host;
    variants[i] = variant;
    labels.add(l);
  }

  List<Labels> labels() {
    return Collections.unmodifiableList(labels);
  }

  @Override
  public void fill(int series, long blockStart, long[] ts, double[] out) {
    long first = (blockStart - dataStart) / SCRAPE_MS;
    if (first != nextScrape[series]) {
      throw new IllegalStateException("blocks must be written in order, without gaps");
    }
    int host = hosts[series];
    // A target's place in the scrape interval: below 14 s, so the last scrape of a block plus
    // its lateness stays inside the block.
    long offset = (long) (uniform(host, -1, 1) * 14_000);
    double v = values[series];
    for (int k = 0; k < ts.length; k++) {
      long scrape = first + k;
      // 85 % of scrapes are stored on schedule, the others 3 to 40 ms late (Prometheus's
      // timestamp tolerance snaps only the ones within 2 ms back).
      long late = uniform(host, scrape, 2) < 0.85 ? 0 : 3 + (long) (uniform(host, scrape, 3) * 38);
      ts[k] = blockStart + k * SCRAPE_MS + offset + late;
      v = next(series, scrape, v);
      out[k] = v;
    }
    values[series] = v;
    nextScrape[series] = first + ts.length;
  }

  private double initialValue(int i) {
    return switch (kinds[i]) {
      case MEMORY -> Math.floor((2 + uniform(hosts[i], -1, 4) * 10) * GIB / 4096) * 4096;
      case LOAD -> 0.5;
      case CPU -> Math.round(uniform(hosts[i], -1, 5) * 1e6 * MODE_SHARES[variants[i]]) / 100.0;
      default -> 0;
    };
  }

  // The value after `scrape` for series i, whose value before it was v.
  private double next(int i, long scrape, double v) {
    int host = hosts[i];
    boolean restarted = uniform(host, scrape, 10) < RESTART_PROBABILITY;
    return switch (kinds[i]) {
      case REQUESTS -> {
        double rate = REQUEST_RATES[variants[i] / CODES.length][variants[i] % CODES.length];
        double added = Math.floor(rate * SCRAPE_MS / 1000 * 2 * uniform(i, scrape, 11));
        yield restarted ? added : v + added;
      }
      case BUCKET, COUNT -> {
        double below = requests(host, scrape)
            * (kinds[i] == Kind.COUNT ? 1 : fractionBelow(variants[i], host, scrape));
        yield restarted ? Math.floor(below) : v + Math.floor(below);
      }
      case SUM -> {
        // The log-logistic distribution's mean with shape 2 is median * pi / 2.
        double added = requests(host, scrape) * median(host, scrape) * Math.PI / 2;
        yield restarted ? added : v + added;
      }
      case CPU -> {
        double share = MODE_SHARES[variants[i]] * (0.5 + uniform(i, scrape, 12));
        yield Math.round((v + SCRAPE_MS / 1000.0 * share) * 100) / 100.0;
      }
      case MEMORY -> {
        double walked = v + (uniform(i, scrape, 13) - 0.5) * 64 * 1024 * 1024;
        yield Math.floor(Math.min(15 * GIB, Math.max(GIB, walked)) / 4096) * 4096;
      }
      case LOAD -> {
        // Mean-reverting around 1 with two decimals, as /proc/loadavg shows it.
        double walked = v + 0.05 * (1 - v) + (uniform(i, scrape, 14) - 0.5) * 0.2;
        yield Math.round(Math.max(0, walked) * 100) / 100.0;
      }
    };
  }

  // Requests the host's service answered in one scrape interval (the histogram's and +Inf's).
  private double requests(int host, long scrape) {
    return Math.floor(30 + 600 * uniform(host, scrape, 20));
  }

  // Median latency of one interval: around 80 ms, slower now and then.
  private double median(int host, long scrape) {
    return 0.08 * Math.exp(1.2 * (uniform(host, scrape, 21) - 0.5));
  }

  // Share of the interval's requests at or below bucket b's bound (log-logistic latencies, shape
  // 2): growing with the bound, so the buckets stay cumulative; 1 for +Inf.
  private double fractionBelow(int b, int host, long scrape) {
    if (b == BUCKETS.length) {
      return 1;
    }
    double ratio = median(host, scrape) / BUCKETS[b];
    return 1 / (1 + ratio * ratio);
  }

  // A uniform double in [0, 1) drawn from (seed, key, scrape, stream): SplitMix64's finaliser.
  private double uniform(long key, long scrape, int stream) {
    long z = seed ^ (key * 0x9E3779B97F4A7C15L) ^ (scrape * 0xC2B2AE3D27D4EB4FL) ^ ((long) stream << 56);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }
}
