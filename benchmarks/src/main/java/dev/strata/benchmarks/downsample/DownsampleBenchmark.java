package dev.strata.benchmarks.downsample;

import dev.strata.downsample.Aggregation;
import dev.strata.downsample.DownsampledBlockReader;
import dev.strata.downsample.Downsampler;
import dev.strata.downsample.Resolutions;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Downsampling figures for {@code benchmarks/RESULTS.md}. Not JMH: each run is one long pass over a
 * block, measured by wall clock and by the thread's own CPU time (so that another process on the
 * second core does not count against the figure).
 *
 * <ul>
 *   <li>{@code generate --series=N --hours=H --out=DIR}: writes a raw block of N synthetic series
 *       of H hours at 15 s.
 *   <li>{@code downsample --block=DIR --out=DIR}: downsamples it to 5m once; prints raw samples
 *       per second and the heap's peak. Run it with a small {@code -Xmx} to show that the heap
 *       does not grow with the block.
 *   <li>{@code query --series=N --days=D --out=DIR}: writes D days of N series, downsamples them to
 *       5m and 1h, and reads one series back from each, reporting chunk bytes and time per read.
 * </ul>
 *
 * <p>{@code java @jvm.options -cp benchmarks/target/benchmarks.jar
 * dev.strata.benchmarks.downsample.DownsampleBenchmark generate --series=100000 --hours=40
 * --out=/tmp/ds}
 */
public final class DownsampleBenchmark {
  private static final long START = 1_700_006_400_000L; // a multiple of 2 h

  private DownsampleBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: generate|downsample|query --option=value ...");
    }
    switch (args[0]) {
      case "generate" -> generate(
          Integer.parseInt(option(args, "series", "100000")),
          Long.parseLong(option(args, "hours", "40")),
          Path.of(option(args, "out", null)));
      case "downsample" -> downsample(
          Path.of(option(args, "block", null)), Path.of(option(args, "out", null)));
      case "query" -> query(
          Integer.parseInt(option(args, "series", "200")),
          Integer.parseInt(option(args, "days", "30")),
          Path.of(option(args, "out", null)));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static String option(String[] args, String name, String fallback) {
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        return a.substring(name.length() + 3);
      }
    }
    if (fallback == null) {
      throw new IllegalArgumentException("--" + name + "= is required");
    }
    return fallback;
  }

  private static void generate(int series, long hours, Path out) throws Exception {
    long t0 = System.nanoTime();
    BlockMeta meta = RawBlockGenerator.write(out, series, START, hours);
    double s = (System.nanoTime() - t0) / 1e9;
    Path dir = BlockDirectories.path(out, meta.ulid());
    System.out.printf("generated %s: %d series, %d samples, %d chunks, %d bytes in %.1f s%n",
        dir, series, meta.stats().numSamples(), meta.stats().numChunks(), FileTrees.size(dir), s);
  }

  private static void downsample(Path blockDir, Path out) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<MemoryPoolMXBean> heap =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    try (Block block = Block.open(blockDir)) {
      long raw = block.meta().stats().numSamples();
      System.gc();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      long cpu0 = threads.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      BlockMeta meta =
          new Downsampler(UlidGenerator.system()).run(block, Resolutions.FIVE_MINUTES, out);
      long wall = System.nanoTime() - wall0;
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      long peakSum = 0;
      StringBuilder pools = new StringBuilder();
      for (MemoryPoolMXBean p : heap) {
        long peak = p.getPeakUsage().getUsed();
        peakSum += peak;
        pools.append(String.format(" %s=%.1fMiB", p.getName().replace(' ', '_'), peak / 1048576.0));
      }
      Path outDir = BlockDirectories.path(out, meta.ulid());
      System.out.printf("input: %d series, %d raw samples, %d bytes%n",
          block.meta().stats().numSeries(), raw, block.sizeBytes());
      System.out.printf("output: %d series, %d chunks, %d windows, %d bytes%n",
          meta.stats().numSeries(), meta.stats().numChunks(), meta.stats().numSamples(),
          FileTrees.size(outDir));
      System.out.printf("wall %.2f s: %.1f M raw samples/s; thread CPU %.2f s: %.1f M raw samples/s per core%n",
          wall / 1e9, raw / (wall / 1e3), cpu / 1e9, raw / (cpu / 1e3));
      System.out.printf("max heap %.0f MiB; heap pool peaks:%s (sum %.1f MiB)%n",
          Runtime.getRuntime().maxMemory() / 1048576.0, pools, peakSum / 1048576.0);
    }
  }

  private static void query(int series, int days, Path out) throws Exception {
    long t0 = System.nanoTime();
    BlockMeta raw = RawBlockGenerator.write(out, series, START, days * 24L);
    BlockMeta five;
    BlockMeta hour;
    try (Block b = Block.open(BlockDirectories.path(out, raw.ulid()))) {
      five = Downsampler.downsample(b, Resolutions.FIVE_MINUTES, out);
    }
    try (Block b = Block.open(BlockDirectories.path(out, five.ulid()))) {
      hour = Downsampler.downsample(b, Resolutions.ONE_HOUR, out);
    }
    System.out.printf("%d series x %d days at 15 s written and downsampled in %.1f s%n",
        series, days, (System.nanoTime() - t0) / 1e9);
    // A counter series in the middle of the block.
    int pick = (series / 2) / 4 * 4;
    Labels l = RawBlockGenerator.labels(pick);
    LabelMatcher[] matchers = {
      LabelMatcher.equal("__name__", l.get("__name__")), LabelMatcher.equal("instance", l.get("instance"))
    };
    long mint = START;
    long maxt = START + days * 86_400_000L - 1;
    try (Block rawBlock = Block.open(BlockDirectories.path(out, raw.ulid()));
        Block fiveBlock = Block.open(BlockDirectories.path(out, five.ulid()));
        Block hourBlock = Block.open(BlockDirectories.path(out, hour.ulid()))) {
      Result r = measure(rawBlock, () -> rawBlock.reader(), mint, maxt, matchers);
      System.out.printf("%-22s %8d samples %10d chunk bytes %10.1f us/read%n", "raw", r.samples, r.bytes, r.micros);
      for (Aggregation a : List.of(Aggregation.AVERAGE, Aggregation.COUNTER)) {
        Result f = measure(fiveBlock, () -> DownsampledBlockReader.open(fiveBlock, a), mint, maxt, matchers);
        Result h = measure(hourBlock, () -> DownsampledBlockReader.open(hourBlock, a), mint, maxt, matchers);
        System.out.printf("%-22s %8d samples %10d chunk bytes %10.1f us/read (bytes x%.0f, time x%.0f less than raw)%n",
            "5m " + a.name().toLowerCase(), f.samples, f.bytes, f.micros, (double) r.bytes / f.bytes, r.micros / f.micros);
        System.out.printf("%-22s %8d samples %10d chunk bytes %10.1f us/read (bytes x%.0f, time x%.0f less than raw)%n",
            "1h " + a.name().toLowerCase(), h.samples, h.bytes, h.micros, (double) r.bytes / h.bytes, r.micros / h.micros);
      }
    }
  }

  private record Result(long samples, long bytes, double micros) {}

  private interface ReaderFactory {
    BlockReader open();
  }

  // Median time of a full read of the selected series (select, decode every sample), after
  // warm-up; bytes are those of the series' chunks in the block's files (whole AggrChunks).
  private static Result measure(
      Block block, ReaderFactory factory, long mint, long maxt, LabelMatcher[] matchers) {
    long bytes = 0;
    try (BlockReader r = block.reader()) {
      ChunkSeriesCursor c = r.select(mint, maxt, matchers);
      while (c.next()) {
        for (int i = 0; i < c.chunkCount(); i++) {
          bytes += c.chunkLength(i);
        }
      }
    }
    int runs = 400;
    long[] nanos = new long[runs];
    long samples = 0;
    double sink = 0;
    for (int warm = 0; warm < 2; warm++) {
      for (int k = 0; k < runs; k++) {
        long t0 = System.nanoTime();
        samples = 0;
        try (MergeQuerier q = new MergeQuerier(List.of(factory.open()), mint, maxt)) {
          SeriesSet set = q.select(matchers);
          while (set.next()) {
            SampleIterator it = set.at().samples();
            while (it.next()) {
              sink += it.v();
              samples++;
            }
          }
        }
        nanos[k] = System.nanoTime() - t0;
      }
    }
    if (sink == 42) {
      System.out.print("");
    }
    Arrays.sort(nanos);
    return new Result(samples, bytes, nanos[runs / 2] / 1e3);
  }
}
