package dev.strata.benchmarks.storeapi;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.fileutil.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code strata store} serving a day of data from S3: {@code --series} series (1,000) over 24 h in
 * 2 h blocks, uploaded to the bucket of {@code --objstore.config-file}, served by a {@code strata
 * store} child JVM with a {@code --heap} limit (256m) and caches of 32 MB (index) and 96 MB
 * (chunks), all series asked for in one {@code Series}
 * call: cold (the first call after the start: index headers built, caches empty), then warm
 * ({@code --warmup} untimed calls, 20, then {@code --runs} timed ones, median). Reports series/s, samples/s, bytes fetched from the bucket
 * against the blocks' size, and the child's peak heap (its JVM metrics, sampled every 20 ms) and
 * peak RSS.
 *
 * <p>{@code java @jvm.options -cp benchmarks/target/benchmarks.jar
 * dev.strata.benchmarks.storeapi.StoreGatewayBenchmark --objstore.config-file=F --work=DIR}
 */
public final class StoreGatewayBenchmark {
  private StoreGatewayBenchmark() {}

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    Path blocks = a.work().resolve("blocks-" + a.series());
    long end = 1_700_000_000_000L / (2 * SeriesData.HOUR) * (2 * SeriesData.HOUR);
    if (!Files.isDirectory(blocks)) {
      SeriesData.write(blocks, a.series(), 24, end);
    }
    long blockBytes = 0;
    try (Bucket bucket = BucketConfig.read(a.objstore()).open()) {
      BucketBlocks uploader = new BucketBlocks(bucket);
      for (var d : BlockDirectories.list(blocks)) {
        if (!bucket.exists(d.ulid() + "/meta.json")) {
          uploader.upload(d.path(), new ThanosMeta(Map.of("replica", "bench"), 0, "benchmark"));
        }
        blockBytes += FileTrees.size(d.path()) - Files.size(d.path().resolve("meta.json"));
      }
    }
    System.out.printf("%d series x 24 h in %d blocks, %.1f MB; strata store -Xmx%s, caches 32MB"
            + " index, 96MB chunks%n", a.series(),
        BlockDirectories.list(blocks).size(), blockBytes / 1e6, a.heap());
    try (StrataServer store = startStore(a, a.strataJar(), "store");
        SeriesCall call = new SeriesCall(store.grpcPort);
        HeapSampler heap = new HeapSampler(store);
        StrataServer baseline =
            a.baselineJar() == null ? null : startStore(a, a.baselineJar(), "baseline-store");
        SeriesCall baselineCall = baseline == null ? null : new SeriesCall(baseline.grpcPort)) {
      long mint = end - 24 * SeriesData.HOUR;
      long maxt = end - 1;
      double fetched0 = store.metric("strata_bucket_fetched_bytes_total");
      SeriesCall.Result cold = call.run(mint, maxt);
      double fetchedCold = store.metric("strata_bucket_fetched_bytes_total") - fetched0;
      print("cold", cold, fetchedCold, blockBytes);
      for (int i = 0; i < a.warmup(); i++) {
        call.run(mint, maxt); // lets the JIT compile the server's loops, as in a long-running one
        if (baselineCall != null) {
          baselineCall.run(mint, maxt);
        }
      }
      List<SeriesCall.Result> warm = new ArrayList<>();
      List<SeriesCall.Result> baselineWarm = new ArrayList<>();
      double fetched1 = store.metric("strata_bucket_fetched_bytes_total");
      double[] handled0 = store.seriesHandling();
      for (int i = 0; i < a.runs(); i++) {
        warm.add(call.run(mint, maxt));
        if (baselineCall != null) { // in turns: both see the same load from the rest of the machine
          baselineWarm.add(baselineCall.run(mint, maxt));
        }
      }
      double fetchedWarm = (store.metric("strata_bucket_fetched_bytes_total") - fetched1) / a.runs();
      SeriesCall.Result median = SidecarOverheadBenchmark.median(warm);
      System.out.printf("warm runs: %s s%n", SidecarOverheadBenchmark.seconds(sorted(warm)));
      print("warm (median)", median, fetchedWarm, blockBytes);
      double[] handled1 = store.seriesHandling();
      System.out.printf("server side (gRPC handling time), warm mean: %.3f s%n",
          (handled1[0] - handled0[0]) / (handled1[1] - handled0[1]));
      System.out.printf("peak heap in use %.1f MiB (limit %s), peak RSS %.1f MiB%n",
          heap.peak() / 1048576.0, a.heap(), store.peakRss() / 1048576.0);
      if (baselineCall != null) {
        SeriesCall.Result b = SidecarOverheadBenchmark.median(baselineWarm);
        System.out.printf("baseline %s in turns: runs %s s, median %.3f s (%.1f M samples/s);"
                + " this build / baseline: %.2fx%n", a.baselineJar(),
            SidecarOverheadBenchmark.seconds(sorted(baselineWarm)), b.seconds(),
            b.samplesPerSecond() / 1e6, median.seconds() / b.seconds());
      }
    }
  }

  private static StrataServer startStore(Args a, Path jar, String name) throws Exception {
    Path dataDir = a.work().resolve(name + "-data");
    FileTrees.deleteRecursively(dataDir);
    return StrataServer.start(jar, a.jvmOptions(), a.heap(), a.work().resolve(name + ".log"),
        "store", "--objstore.config-file=" + a.objstore(), "--data-dir=" + dataDir,
        "--grpc-address=127.0.0.1:0", "--http-address=127.0.0.1:0",
        // Caches sized for the heap: memory is what is configured, whatever the bucket holds.
        "--index-cache-size=32MB", "--chunk-cache-size=96MB");
  }

  private static List<SeriesCall.Result> sorted(List<SeriesCall.Result> runs) {
    List<SeriesCall.Result> out = new ArrayList<>(runs);
    out.sort((x, y) -> Double.compare(x.seconds(), y.seconds()));
    return out;
  }

  static void print(String what, SeriesCall.Result r, double fetched, long blockBytes) {
    System.out.printf("%s: %d series, %d chunks, %d samples in %.3f s: %.0f series/s, %.1f M"
            + " samples/s, %.1f MB on the wire; fetched %.1f MB from the bucket (%.1f%% of the"
            + " blocks)%n", what, r.series(), r.chunks(), r.samples(), r.seconds(),
        r.seriesPerSecond(), r.samplesPerSecond() / 1e6, r.bytes() / 1e6, fetched / 1e6,
        100 * fetched / blockBytes);
  }

  /** Samples the server's heap in use every 20 ms; {@link #peak} is the highest seen. */
  static final class HeapSampler implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;

    HeapSampler(StrataServer server) {
      thread = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          try {
            peak.accumulateAndGet((long) server.heapUsed(), Math::max);
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            // the server is stopping
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    long peak() {
      return peak.get();
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }
}
