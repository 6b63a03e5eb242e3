package dev.strata.benchmarks.promql;

import dev.strata.benchmarks.downsample.RawBlockGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a data directory of 2 h Prometheus blocks holding a {@link DashboardFleet}, for
 * comparing PromQL queries with Prometheus on the same bytes.
 *
 * <p>{@code java -cp benchmarks.jar dev.strata.benchmarks.promql.DashboardDataGenerator
 * --out=DIR [--series=10000] [--hours=24] [--seed=1] [--end-ms=T]}. The data ends at a 2 h
 * boundary (where Prometheus cuts its blocks) about an hour before now unless {@code --end-ms}
 * says where; hours are rounded up to whole blocks, series to whole hosts of 30 series. The last
 * line printed is {@code start_ms=... end_ms=... series=... samples=...} for scripts.
 */
public final class DashboardDataGenerator {
  static final long HOUR_MS = 3_600_000L;
  static final long BLOCK_MS = 2 * HOUR_MS;

  private DashboardDataGenerator() {}

  public static void main(String[] args) throws IOException {
    Path out = null;
    int series = 10_000;
    long hours = 24;
    long seed = 1;
    long endMs = Math.floorDiv(System.currentTimeMillis() - HOUR_MS, BLOCK_MS) * BLOCK_MS;
    for (String arg : args) {
      String value = arg.substring(arg.indexOf('=') + 1);
      if (arg.startsWith("--out=")) {
        out = Path.of(value);
      } else if (arg.startsWith("--series=")) {
        series = Integer.parseInt(value);
      } else if (arg.startsWith("--hours=")) {
        hours = Long.parseLong(value);
      } else if (arg.startsWith("--seed=")) {
        seed = Long.parseLong(value);
      } else if (arg.startsWith("--end-ms=")) {
        endMs = Math.floorDiv(Long.parseLong(value), BLOCK_MS) * BLOCK_MS;
      } else {
        throw new IllegalArgumentException("unknown argument " + arg
            + "; usage: --out=DIR [--series=N] [--hours=H] [--seed=S] [--end-ms=T]");
      }
    }
    if (out == null || series <= 0 || hours <= 0) {
      throw new IllegalArgumentException("--out=DIR is required; series and hours must be positive");
    }
    int hosts = Math.max(1, Math.round((float) series / DashboardFleet.SERIES_PER_HOST));
    long blocks = (hours * HOUR_MS + BLOCK_MS - 1) / BLOCK_MS;
    long startMs = endMs - blocks * BLOCK_MS;
    Files.createDirectories(out);
    DashboardFleet fleet = new DashboardFleet(hosts, seed, startMs);
    long started = System.nanoTime();
    for (long b = 0; b < blocks; b++) {
      RawBlockGenerator.write(out, fleet.labels(), startMs + b * BLOCK_MS, 2, fleet);
    }
    int written = fleet.labels().size();
    long samples = written * blocks * (BLOCK_MS / DashboardFleet.SCRAPE_MS);
    System.out.printf("wrote %d blocks of %d series in %.1f s%n",
        blocks, written, (System.nanoTime() - started) / 1e9);
    System.out.printf("start_ms=%d end_ms=%d series=%d samples=%d%n",
        startMs, endMs, written, samples);
  }
}
