package dev.strata.benchmarks.compact;

import dev.strata.benchmarks.storeapi.Args;
import dev.strata.benchmarks.storeapi.StrataServer;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.block.Parallel;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code strata compact} on a bucket of sidecar blocks: {@code --series} series scraped every 15 s.
 *
 * <ol>
 *   <li><b>Compaction</b>: 13 level-1 blocks of 2 h (26 h: Thanos's planner merges the first
 *       twelve into three 8 h blocks and leaves the newest alone) uploaded to the bucket of {@code
 *       --objstore.config-file}; then one pass of a {@code strata compact} child JVM with a {@code
 *       --heap} limit (256m), downsampling off, once with Thanos's default concurrency (one block
 *       and one file at a time) and once with four ({@code --compact.blocks-fetch-concurrency=4
 *       --block-files-concurrency=4}), the bucket restored between them. Reports each pass's wall
 *       time, samples merged per second, the child's peak heap (its JVM metrics, sampled every 20
 *       ms) and peak RSS, the scratch directory's peak size against the blocks' size, and the
 *       bytes downloaded and uploaded.
 *   <li><b>The transfer floor</b>, measured in the same run: the twelve blocks' files downloaded
 *       and uploaded again through the same bucket client, with nothing else done, one file at a
 *       time and four at a time: what moving the bytes alone costs here.
 *   <li><b>Downsampling</b>: 25 blocks of 2 h (50 h) in a bucket emptied first; one pass with
 *       downsampling on compacts the first 48 h into one block and downsamples it to 5m. Reports
 *       the downsampling's own time (the compactor's log line for it) and raw samples read per
 *       second.
 * </ol>
 *
 * <p>{@code java @jvm.options -cp benchmarks/target/benchmarks.jar
 * dev.strata.benchmarks.compact.BucketCompactionBenchmark --objstore.config-file=F --work=DIR
 * --series=N [--heap=256m]}
 */
public final class BucketCompactionBenchmark {
  private static final long HOUR = 3_600_000L;
  private static final long STEP = 15_000L;
  private static final int BLOCKS = 13;
  private static final int DOWNSAMPLE_BLOCKS = 25;
  private static final Pattern DOWNSAMPLED = Pattern.compile("downsampled block \\S+ to \\S+ as \\S+ in (\\d+) ms");

  private BucketCompactionBenchmark() {}

  public static void main(String[] args) throws Exception {
    // --steps=compact,downsample (both by default) and --rounds=N (1): this class's own flags;
    // in each round the passes and the transfer floors take turns, so that load on the machine
    // falls on all of them.
    Set<String> steps = Set.of("compact", "downsample");
    int rounds = 1;
    List<String> rest = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--steps=")) {
        steps = Set.of(arg.substring("--steps=".length()).split(","));
      } else if (arg.startsWith("--rounds=")) {
        rounds = Integer.parseInt(arg.substring("--rounds=".length()));
      } else {
        rest.add(arg);
      }
    }
    Args a = Args.parse(rest.toArray(new String[0]));
    if (a.objstore() == null) {
      throw new IllegalArgumentException("--objstore.config-file=F is required");
    }
    int series = a.series();
    long start = 1_700_000_000_000L / (8 * HOUR) * (8 * HOUR);
    Path blocks = blocks(a.work().resolve("compact-blocks-" + series), series, start, BLOCKS);
    List<BlockDirectories.BlockDirectory> dirs = BlockDirectories.list(blocks);
    long bytes = 0;
    long samples = 0;
    List<BlockDirectories.BlockDirectory> merged = new ArrayList<>();
    for (var d : dirs) {
      BlockMeta meta = BlockMetaFile.read(d.path());
      if (meta.maxTime() <= start + 24 * HOUR) { // the twelve that are merged
        bytes += FileTrees.size(d.path());
        samples += meta.stats().numSamples();
        merged.add(d);
      }
    }
    System.out.printf("%,d series x %d h in %d blocks of 2 h; the 12 merged hold %,d samples,"
        + " %.1f MB%n", series, 2 * BLOCKS, dirs.size(), samples, bytes / 1e6);

    try (Bucket bucket = BucketConfig.read(a.objstore()).open()) {
      for (int round = 1; round <= rounds && steps.contains("compact"); round++) {
        System.out.printf("round %d of %d%n", round, rounds);
        for (int concurrency : new int[] {1, 4}) {
          refill(bucket, dirs);
          compact(a, concurrency, samples, bytes);
        }
        for (int streams : new int[] {1, 4}) {
          transferFloor(bucket, merged, streams, bytes);
        }
      }
      if (!steps.contains("downsample")) {
        return;
      }
      // Aligned to Thanos's 48 h windows, so that the first 48 h make one block.
      long longStart = start / (48 * HOUR) * (48 * HOUR);
      Path longBlocks = blocks(a.work().resolve("downsample-blocks-" + series), series, longStart,
          DOWNSAMPLE_BLOCKS);
      long rawSamples = 0;
      for (var d : BlockDirectories.list(longBlocks)) {
        BlockMeta meta = BlockMetaFile.read(d.path());
        if (meta.maxTime() <= longStart + 48 * HOUR) {
          rawSamples += meta.stats().numSamples();
        }
      }
      refill(bucket, BlockDirectories.list(longBlocks));
      downsample(a, rawSamples);
    }
  }

  private static Path blocks(Path dir, int series, long start, int count) throws IOException {
    if (!Files.isDirectory(dir)) {
      long t0 = System.nanoTime();
      write(dir, series, start, count);
      System.out.printf("wrote %d blocks in %.1f s%n", count, (System.nanoTime() - t0) / 1e9);
    }
    return dir;
  }

  // The bucket emptied, then the blocks uploaded as a sidecar ships them.
  private static void refill(Bucket bucket, List<BlockDirectories.BlockDirectory> dirs)
      throws IOException {
    List<String> keys = new ArrayList<>();
    bucket.iterate("", true, e -> keys.add(e.key()));
    for (String k : keys) {
      bucket.delete(k);
    }
    BucketBlocks uploader = new BucketBlocks(bucket, Clock.systemUTC(), 4);
    for (var d : dirs) {
      uploader.upload(d.path(), new ThanosMeta(Map.of("cluster", "bench"), 0,
          ThanosMeta.SOURCE_SIDECAR));
    }
  }

  private static void compact(Args a, int concurrency, long samples, long bytes) throws Exception {
    Path dataDir = a.work().resolve("compact-data");
    FileTrees.deleteRecursively(dataDir);
    double peakHeap = 0;
    long peakScratch = 0;
    long t0 = System.nanoTime();
    try (StrataServer compact = StrataServer.start(a.strataJar(), a.jvmOptions(), a.heap(),
        a.work().resolve("compact-" + concurrency + ".log"), "compact",
        "--objstore.config-file=" + a.objstore(), "--data-dir=" + dataDir,
        "--http-address=127.0.0.1:0", "--wait", "--wait-interval=1h", "--consistency-delay=0s",
        "--downsampling.disable", "--compact.blocks-fetch-concurrency=" + concurrency,
        "--block-files-concurrency=" + concurrency)) {
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
      System.out.printf("strata compact -Xmx%s, %d blocks and %d files at a time: one pass in"
              + " %.1f s, %.0f blocks made, %,.0f samples/s merged%n", a.heap(), concurrency,
          concurrency, seconds, compact.metric("thanos_compact_group_compactions_total"),
          samples / seconds);
      System.out.printf("  peak heap %.0f MiB, peak RSS %d MiB, peak scratch %.1f MB (%.2fx the"
              + " merged blocks' %.1f MB)%n", peakHeap / (1 << 20), compact.peakRss() >> 20,
          peakScratch / 1e6, (double) peakScratch / bytes, bytes / 1e6);
      System.out.printf("  downloaded %.1f MB, uploaded %.1f MB%n",
          compact.metric("strata_compact_downloaded_bytes_total") / 1e6,
          compact.metric("strata_compact_uploaded_bytes_total") / 1e6);
    }
  }

  // Every file of the blocks downloaded to local disk, then uploaded under another prefix, as a
  // compaction moves them, with nothing else done; the copies are removed afterwards.
  private static void transferFloor(Bucket bucket, List<BlockDirectories.BlockDirectory> blocks,
      int streams, long bytes) throws IOException {
    List<String> keys = new ArrayList<>();
    for (var d : blocks) {
      bucket.iterate(d.ulid() + "/", true, e -> {
        if (!e.key().endsWith("meta.json")) {
          keys.add(e.key());
        }
      });
    }
    Path dir = Files.createTempDirectory("transfer-floor");
    try {
      long t0 = System.nanoTime();
      Parallel.map(keys, streams, "download",
          k -> BucketBlocks.downloadObject(bucket, k, dir.resolve(k)));
      long t1 = System.nanoTime();
      Parallel.map(keys, streams, "upload", k -> {
        bucket.upload("transfer-floor/" + k, dir.resolve(k));
        return null;
      });
      long t2 = System.nanoTime();
      double down = (t1 - t0) / 1e9;
      double up = (t2 - t1) / 1e9;
      System.out.printf("transfer floor, %d file(s) at a time: %.1f MB down in %.1f s (%.0f MB/s),"
              + " up in %.1f s (%.0f MB/s), %.1f s in all%n", streams, bytes / 1e6, down,
          bytes / 1e6 / down, up, bytes / 1e6 / up, down + up);
      for (String k : keys) {
        bucket.delete("transfer-floor/" + k);
      }
    } finally {
      FileTrees.deleteRecursively(dir);
    }
  }

  private static void downsample(Args a, long rawSamples) throws Exception {
    Path dataDir = a.work().resolve("downsample-data");
    FileTrees.deleteRecursively(dataDir);
    long t0 = System.nanoTime();
    try (StrataServer compact = StrataServer.start(a.strataJar(), a.jvmOptions(), a.heap(),
        a.work().resolve("downsample.log"), "compact",
        "--objstore.config-file=" + a.objstore(), "--data-dir=" + dataDir,
        "--http-address=127.0.0.1:0", "--wait", "--wait-interval=1h", "--consistency-delay=0s",
        "--compact.blocks-fetch-concurrency=4", "--block-files-concurrency=4")) {
      while (compact.metric("thanos_compact_iterations_total") < 1) {
        if (compact.metric("thanos_compact_iterations_failures_total") > 0) {
          throw new IOException("the pass failed:\n" + compact.log());
        }
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Matcher m = DOWNSAMPLED.matcher(compact.log());
      long ms = 0;
      int count = 0;
      while (m.find()) {
        ms += Long.parseLong(m.group(1));
        count++;
      }
      if (count == 0) {
        throw new IOException("the pass downsampled nothing:\n" + compact.log());
      }
      System.out.printf("downsampling: %d block(s) to 5m in %.1f s (download, downsample, verify,"
              + " upload), %,.0f raw samples/s; the whole pass (compactions 2h -> 8h -> 48h"
              + " included) %.1f s, %.0f downsamplings made%n", count, ms / 1e3,
          rawSamples / (ms / 1e3), seconds, compact.metric("thanos_compact_downsample_total"));
    }
  }

  // Level-1 blocks as a sidecar ships them: counters and gauges, one 2 h head each.
  private static void write(Path dir, int series, long start, int count) throws IOException {
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
    for (int b = 0; b < count; b++) {
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
