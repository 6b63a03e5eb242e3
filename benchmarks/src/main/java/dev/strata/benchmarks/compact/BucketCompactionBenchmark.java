package dev.strata.benchmarks.compact;

import dev.strata.benchmarks.storeapi.Args;
import dev.strata.benchmarks.storeapi.StrataServer;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.BlockWriter;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code strata compact} on a bucket of sidecar blocks: {@code --series} series scraped
 * every 15 s, in 13 level-1 blocks of 2 h (26 h: Thanos's planner merges the first twelve into
 * three 8 h blocks and leaves the newest alone), uploaded to the bucket of {@code
 * --objstore.config-file}; then one pass of a {@code strata compact} child JVM with a {@code
 * --heap} limit (256m), downsampling off. Reports the pass's wall time, samples merged per second,
 * the child's peak heap (its JVM metrics, sampled every 20 ms) and peak RSS, the scratch
 * directory's peak size against the blocks' size, and the bytes downloaded and uploaded.
 *
 * <p>{@code java @jvm.options -cp benchmarks/target/benchmarks.jar
 * dev.strata.benchmarks.compact.BucketCompactionBenchmark --objstore.config-file=F --work=DIR
 * --series=N [--heap=256m]}
 */
public final class BucketCompactionBenchmark {
  private static final long HOUR = 3_600_000L;
  private static final long STEP = 15_000L;
  private static final int BLOCKS = 13;

  private BucketCompactionBenchmark() {}

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    if (a.objstore() == null) {
      throw new IllegalArgumentException("--objstore.config-file=F is required");
    }
    Path objstore = a.objstore();
    Path work = a.work();
    int series = a.series();
    String heap = a.heap();
    Path blocks = work.resolve("compact-blocks-" + series);
    long start = 1_700_000_000_000L / (8 * HOUR) * (8 * HOUR);
    if (!Files.isDirectory(blocks)) {
      long t0 = System.nanoTime();
      write(blocks, series, start);
      System.out.printf("wrote %d blocks in %.1f s%n", BLOCKS, (System.nanoTime() - t0) / 1e9);
    }
    long bytes = 0;
    long samples = 0;
    List<BlockDirectories.BlockDirectory> dirs = BlockDirectories.list(blocks);
    try (Bucket bucket = BucketConfig.read(objstore).open()) {
      BucketBlocks uploader = new BucketBlocks(bucket);
      for (var d : dirs) {
        BlockMeta meta = BlockMetaFile.read(d.path());
        if (!bucket.exists(d.ulid() + "/meta.json")) {
          uploader.upload(d.path(), new ThanosMeta(Map.of("cluster", "bench"), 0,
              ThanosMeta.SOURCE_SIDECAR));
        }
        if (meta.maxTime() <= start + 24 * HOUR) { // the twelve that are merged
          bytes += FileTrees.size(d.path());
          samples += meta.stats().numSamples();
        }
      }
    }
    System.out.printf("%,d series x %d h in %d blocks of 2 h; the 12 merged hold %,d samples,"
        + " %.1f MB%n", series, 2 * BLOCKS, dirs.size(), samples, bytes / 1e6);

    Path dataDir = work.resolve("compact-data");
    FileTrees.deleteRecursively(dataDir);
    double peakHeap = 0;
    long peakScratch = 0;
    long t0 = System.nanoTime();
    try (StrataServer compact = StrataServer.start(a.strataJar(), a.jvmOptions(), heap, work.resolve("compact.log"), "compact",
        "--objstore.config-file=" + objstore, "--data-dir=" + dataDir,
        "--http-address=127.0.0.1:0", "--wait", "--wait-interval=1h", "--consistency-delay=0s",
        "--downsampling.disable")) {
      long sampled = 0;
      while (compact.metric("thanos_compact_iterations_total") < 1) {
        peakHeap = Math.max(peakHeap, compact.heapUsed());
        if (++sampled % 10 == 0) {
          peakScratch = Math.max(peakScratch, Files.exists(dataDir) ? FileTrees.size(dataDir) : 0);
        }
        if (compact.metric("thanos_compact_iterations_failures_total") > 0) {
          throw new IOException("the pass failed:\n" + compact.log());
        }
        Thread.sleep(20);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("strata compact -Xmx%s: one pass in %.1f s, %.0f blocks made,"
              + " %,.0f samples/s merged%n", heap, seconds,
          compact.metric("thanos_compact_group_compactions_total"), samples / seconds);
      System.out.printf("peak heap %.0f MiB, peak RSS %d MiB, peak scratch %.1f MB (%.2fx the"
              + " merged blocks' %.1f MB)%n", peakHeap / (1 << 20), compact.peakRss() >> 20,
          peakScratch / 1e6, (double) peakScratch / bytes, bytes / 1e6);
      System.out.printf("downloaded %.1f MB, uploaded %.1f MB%n",
          compact.metric("strata_compact_downloaded_bytes_total") / 1e6,
          compact.metric("strata_compact_uploaded_bytes_total") / 1e6);
    }
  }

  // Level-1 blocks as a sidecar ships them: counters and gauges, one 2 h head each.
  private static void write(Path dir, int series, long start) throws IOException {
    Files.createDirectories(dir);
    int metrics = Math.max(1, series / 100);
    Labels[] labels = new Labels[series];
    for (int s = 0; s < series; s++) {
      labels[s] = Labels.of("__name__", "bench_metric_" + (s % metrics), "instance",
          "10.0." + (s / metrics / 250) + "." + (s / metrics % 250) + ":9100", "job",
          s % 5 == 0 ? "api" : "node");
    }
    double[] values = new double[series];
    SplittableRandom random = new SplittableRandom(1);
    UlidGenerator ulids = UlidGenerator.system();
    for (int b = 0; b < BLOCKS; b++) {
      long from = start + b * 2 * HOUR;
      try (Head head = Head.inMemory(new HeadOptions(2 * HOUR, true, 1 << 20, false, false))) {
        long[] refs = new long[series];
        Appender app = head.appender();
        int pending = 0;
        for (long t = from; t < from + 2 * HOUR; t += STEP) {
          for (int s = 0; s < series; s++) {
            values[s] += s % 3 == 0 ? random.nextInt(5) * 10 : (random.nextInt(100) < 95
                ? random.nextInt(3) - 1 : random.nextDouble() * 50);
            refs[s] = t == from ? app.append(labels[s], t, values[s])
                : app.append(refs[s], t, values[s]);
            if (++pending == 200_000) {
              app.commit();
              pending = 0;
            }
          }
        }
        app.commit();
        try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
          BlockWriter.write(dir, BlockMeta.newBlock(ulids.next(), from, from + 2 * HOUR,
              BlockStats.EMPTY), List.of(r)).orElseThrow();
        }
      }
    }
  }
}
