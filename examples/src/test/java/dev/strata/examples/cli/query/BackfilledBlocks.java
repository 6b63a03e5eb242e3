package dev.strata.examples.cli.query;

import dev.strata.downsample.Downsampler;
import dev.strata.downsample.Resolutions;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.BlockWriter;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * A producer's past in a bucket, as a Thanos deployment leaves it: raw 2h blocks written with
 * Strata's block writer and uploaded with the producer's external labels (source {@code
 * sidecar}), and their 5m downsampled versions (source {@code compactor}).
 */
final class BackfilledBlocks {
  static final long BLOCK = 2 * 3_600_000L;

  private BackfilledBlocks() {}

  /**
   * Writes {@code blocks} consecutive 2h blocks from {@code start}, each series sampled every
   * {@code step} ms with the values its function gives, into {@code rawDir}; downsamples each to
   * 5m into {@code fiveMinuteDir}; uploads both with {@code externalLabels}.
   */
  static void upload(BucketBlocks bucket, Map<String, String> externalLabels,
      Map<Labels, LongToDoubleFunction> series, long start, int blocks, long step, Path rawDir,
      Path fiveMinuteDir) throws IOException {
    for (int b = 0; b < blocks; b++) {
      long mint = start + b * BLOCK;
      Path raw = write(rawDir, series, mint, mint + BLOCK, step);
      bucket.upload(raw, new ThanosMeta(externalLabels, ThanosMeta.RESOLUTION_RAW,
          ThanosMeta.SOURCE_SIDECAR));
      BlockMeta downsampled;
      try (Block block = Block.open(raw)) {
        downsampled = Downsampler.downsample(block, Resolutions.FIVE_MINUTES, fiveMinuteDir);
      }
      bucket.upload(BlockDirectories.path(fiveMinuteDir, downsampled.ulid()), new ThanosMeta(
          externalLabels, ThanosMeta.RESOLUTION_5M, ThanosMeta.SOURCE_COMPACTOR));
    }
  }

  /** One block of {@code [mint, maxt)}, cut from a head as the database cuts one. */
  private static Path write(Path dir, Map<Labels, LongToDoubleFunction> series, long mint,
      long maxt, long step) throws IOException {
    try (Head head = Head.inMemory(new HeadOptions(BLOCK, true, 1 << 20, false, false))) {
      Appender app = head.appender();
      for (long t = mint; t < maxt; t += step) {
        for (Map.Entry<Labels, LongToDoubleFunction> s : series.entrySet()) {
          app.append(s.getKey(), t, s.getValue().applyAsDouble(t));
        }
      }
      app.commit();
      BlockMeta meta = BlockMeta.newBlock(UlidGenerator.system().next(), mint, maxt,
          BlockStats.EMPTY);
      try (HeadReader reader = head.reader(mint, maxt - 1)) {
        BlockWriter.write(dir, meta, List.of(reader));
      }
      return BlockDirectories.path(dir, meta.ulid());
    }
  }
}
