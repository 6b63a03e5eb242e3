package dev.strata.tsdb.testing;

import dev.strata.tsdb.textparse.GoFloatFormat;
import java.util.Random;

/** Generated OpenMetrics documents for interop tests: varied series, values and timestamps. */
public final class OpenMetricsText {
  private OpenMetricsText() {}

  /**
   * {@code series} series of {@code samples} samples each, counters, gauges, constants, NaN and
   * infinities among them, starting three hours before a fixed time; timestamps every 15 s, or
   * irregular gaps of 1 ms to 60 s when {@code irregular}. Ends with {@code # EOF}.
   */
  public static String generate(long seed, int series, int samples, boolean irregular) {
    Random rnd = new Random(seed);
    StringBuilder sb = new StringBuilder();
    String[] kinds = {"counter", "gauge", "gauge", "untyped"};
    for (int s = 0; s < series; s++) {
      String name = "metric_" + (s % 5) + (kinds[s % 4].equals("counter") ? "_total" : "");
      if (s < 5) {
        sb.append("# TYPE ").append(name.replace("_total", "")).append(' ')
            .append(kinds[s % 4].equals("untyped") ? "unknown" : kinds[s % 4]).append('\n');
      }
      long t = 1_700_000_000_000L - 3 * 3_600_000L + rnd.nextInt(1_000_000);
      double v = rnd.nextInt(1000);
      for (int i = 0; i < samples; i++) {
        switch (s % 6) {
          case 0 -> v += rnd.nextInt(100);
          case 1 -> v = Math.round((v + rnd.nextGaussian()) * 100) / 100.0;
          case 2 -> v = 42;
          case 3 -> v = i % 50 == 7 ? Double.NaN : rnd.nextDouble();
          case 4 -> v = i % 97 == 3 ? Double.POSITIVE_INFINITY : -rnd.nextInt(10_000) * 1e-3;
          default -> v = rnd.nextLong() / 1e5;
        }
        sb.append(name).append("{instance=\"host-").append(s).append("\",job=\"j").append(s % 3)
            .append("\"} ").append(GoFloatFormat.format(v)).append(' ')
            .append(t / 1000).append('.').append(String.format("%03d", t % 1000)).append('\n');
        t += irregular ? 1 + rnd.nextInt(60_000) : 15_000;
      }
    }
    sb.append("# EOF\n");
    return sb.toString();
  }
}
