package dev.strata.tier.storeapi;

import dev.strata.downsample.Downsampler;
import dev.strata.downsample.RawBlockBuilder;
import dev.strata.downsample.Resolutions;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.Querier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Blocks of three producers, written once into a local directory and uploaded to any bucket:
 *
 * <ul>
 *   <li>{@link #EU_A}: raw blocks {@code [0, 24h)}, {@code [24h, 48h)}, {@code [48h, 72h)};
 *       5-minute blocks made by the downsampler from the first two; a 1-hour block made from the
 *       first 5-minute one. So a 1-hour window reads 1h, then 5m, then raw data.
 *   <li>{@link #EU_B}: a replica of the same series with other values, raw {@code [0, 24h)}.
 *   <li>{@link #US}: other series, raw {@code [0, 24h)}.
 * </ul>
 *
 * Every raw sample is kept, by producer and series, to compare answers with.
 */
final class BucketFixture {
  static final long H = 3_600_000L;
  static final long STEP = 60_000L;
  static final long END = 72 * H;
  static final Labels EU_A = Labels.of("cluster", "eu", "replica", "a");
  static final Labels EU_B = Labels.of("cluster", "eu", "replica", "b");
  static final Labels US = Labels.of("cluster", "us", "replica", "a");

  /** A block on local disk, as written before the upload. */
  record LocalBlock(Labels producer, long resolution, Path dir, BlockMeta meta) {
    String ulid() {
      return meta.ulid().toString();
    }
  }

  /** Raw samples by producer, then series. */
  final Map<Labels, Map<Labels, TreeMap<Long, Double>>> samples = new TreeMap<>();
  final List<LocalBlock> blocks = new ArrayList<>();
  final LocalBlock raw1;
  final LocalBlock raw2;
  final LocalBlock raw3;
  final LocalBlock fiveMinutes1;
  final LocalBlock fiveMinutes2;
  final LocalBlock oneHour1;
  final LocalBlock replicaB;
  final LocalBlock us;

  private BucketFixture(Path dir) throws IOException {
    Path raw = dir.resolve("raw");
    raw1 = rawBlock(raw, EU_A, euSeries(), 0, 24 * H, 1);
    raw2 = rawBlock(raw, EU_A, euSeries(), 24 * H, 48 * H, 2);
    raw3 = rawBlock(raw, EU_A, euSeries(), 48 * H, 72 * H, 3);
    replicaB = rawBlock(raw, EU_B, euSeries(), 0, 24 * H, 4);
    us = rawBlock(raw, US, List.of(Labels.of("__name__", "us_only", "instance", "host-0")),
        0, 24 * H, 5);
    Path down = dir.resolve("downsampled");
    fiveMinutes1 = downsample(raw1, Resolutions.FIVE_MINUTES, down);
    fiveMinutes2 = downsample(raw2, Resolutions.FIVE_MINUTES, down);
    oneHour1 = downsample(fiveMinutes1, Resolutions.ONE_HOUR, down);
  }

  /** Writes the blocks under {@code dir}. */
  static BucketFixture create(Path dir) throws IOException {
    return new BucketFixture(dir);
  }

  /** Two counters and two gauges on each of two instances. */
  private static List<Labels> euSeries() {
    List<Labels> out = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      out.add(Labels.of("__name__", "http_requests_total", "instance", "host-" + i, "job", "api"));
      out.add(Labels.of("__name__", "http_errors_total", "instance", "host-" + i, "job", "api"));
      out.add(Labels.of("__name__", "temperature", "instance", "host-" + i, "job", "db"));
      out.add(Labels.of("__name__", "load", "instance", "host-" + i, "job", "db"));
    }
    return out;
  }

  private LocalBlock rawBlock(Path dir, Labels producer, List<Labels> series, long start,
      long end, long seed) throws IOException {
    Random random = new Random(seed);
    RawBlockBuilder b = new RawBlockBuilder()
        .thanos(new ThanosMeta(producer.toMap(), Resolutions.RAW, ThanosMeta.SOURCE_SIDECAR));
    for (Labels s : series) {
      int n = (int) ((end - start) / STEP);
      long[] times = new long[n];
      double[] values = new double[n];
      boolean counter = s.get("__name__").endsWith("_total");
      double v = random.nextInt(100);
      for (int k = 0; k < n; k++) {
        times[k] = start + k * STEP;
        if (counter) {
          v = k == n / 3 ? random.nextInt(5) : v + random.nextInt(10); // one reset per block
        } else {
          v = 20 + random.nextGaussian() * 5;
        }
        values[k] = v;
        samples.computeIfAbsent(producer, p -> new TreeMap<>())
            .computeIfAbsent(s, l -> new TreeMap<>()).put(times[k], v);
      }
      b.samples(s, times, values, 120);
    }
    BlockMeta meta = b.write(dir, start, end);
    Path written = dir.resolve(meta.ulid().toString());
    return add(new LocalBlock(producer, Resolutions.RAW, written, meta));
  }

  private LocalBlock downsample(LocalBlock input, long resolution, Path dir) throws IOException {
    BlockMeta meta;
    try (Block block = Block.open(input.dir())) {
      meta = Downsampler.downsample(block, resolution, dir);
    }
    return add(new LocalBlock(input.producer(), resolution, dir.resolve(meta.ulid().toString()),
        meta));
  }

  private LocalBlock add(LocalBlock b) {
    blocks.add(b);
    return b;
  }

  /** Uploads {@code which} as a sidecar or compactor would. */
  static void upload(Bucket bucket, List<LocalBlock> which) throws IOException {
    BucketBlocks blocks = new BucketBlocks(bucket);
    for (LocalBlock b : which) {
      blocks.upload(b.dir(), b.meta().thanos().orElseThrow());
    }
  }

  /** Uploads every block. */
  void uploadAll(Bucket bucket) throws IOException {
    upload(bucket, blocks);
  }

  /**
   * The samples of the local raw blocks in {@code [mint, maxt]} matching {@code matchers}, read
   * through Strata's block reader, with each producer's external labels set.
   */
  Map<Labels, TreeMap<Long, Double>> readRaw(long mint, long maxt, LabelMatcher... matchers)
      throws IOException {
    Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    for (Labels producer : samples.keySet()) {
      List<Block> opened = new ArrayList<>();
      List<BlockReader> readers = new ArrayList<>();
      try {
        for (LocalBlock b : blocks) {
          if (b.producer().equals(producer) && b.resolution() == Resolutions.RAW) {
            Block block = Block.open(b.dir());
            opened.add(block);
            readers.add(block.reader());
          }
        }
        try (Querier q = new MergeQuerier(readers, mint, maxt)) {
          dev.strata.tier.testing.TestTsdb.read(q, matchers).forEach((l, s) -> {
            if (!s.isEmpty()) {
              Labels.Builder served = l.toBuilder();
              producer.forEach(served::set);
              out.put(served.build(), s);
            }
          });
        }
      } finally {
        opened.forEach(Block::close);
      }
    }
    return out;
  }
}
