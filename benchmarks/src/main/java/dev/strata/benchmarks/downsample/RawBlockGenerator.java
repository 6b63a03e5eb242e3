package dev.strata.benchmarks.downsample;

import dev.strata.examples.data.SyntheticSeries;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunks.ChunkBatch;
import dev.strata.tsdb.chunks.ChunkSegmentWriter;
import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.IndexWriter;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import dev.strata.tsdb.tombstones.TombstoneSet;
import dev.strata.tsdb.tombstones.TombstonesWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes a raw block of synthetic 15-second series straight from the XOR encoder, series by
 * series (a head would hold the whole block in memory first), cut into chunks of 120 samples as
 * Prometheus's head cuts them. By default {@code series} series named like a node exporter fleet
 * (100 metric names on {@code series / 100} hosts), of the realistic kinds of
 * {@link SyntheticSeries} in turn; other benchmarks pass their own label sets and samples.
 */
public final class RawBlockGenerator {
  static final int SAMPLES_PER_CHUNK = 120;

  /** The samples of one series in one block. */
  @FunctionalInterface
  public interface SampleSource {
    /**
     * Fills {@code ts} and {@code values} (one sample per scrape interval) for series number
     * {@code series} of the list given to {@link #write(Path, List, long, long, SampleSource)},
     * from {@code blockStart} on; every timestamp must fall before the block's end.
     */
    void fill(int series, long blockStart, long[] ts, double[] values);
  }

  private RawBlockGenerator() {}

  static Labels labels(int i) {
    SyntheticSeries.Kind kind = kind(i);
    return Labels.of(
        "__name__", "node_metric_" + (i % 100) + "_" + kind.name().toLowerCase(),
        "instance", "host-" + (i / 100),
        "job", "node");
  }

  static SyntheticSeries.Kind kind(int i) {
    SyntheticSeries.Kind[] kinds = SyntheticSeries.realisticKinds();
    return kinds[i % kinds.length];
  }

  /** Writes the block into {@code dataDir} and returns its meta. */
  static BlockMeta write(Path dataDir, int series, long start, long hours) throws IOException {
    List<Labels> labels = new ArrayList<>(series);
    for (int i = 0; i < series; i++) {
      labels.add(labels(i));
    }
    return write(dataDir, labels, start, hours,
        (i, blockStart, ts, vs) -> SyntheticSeries.fill(kind(i), i, blockStart, ts, vs));
  }

  /**
   * Writes a block of {@code hours} hours from {@code start} holding one series per label set,
   * their samples from {@code source} (called once per series, in the index's label order), into
   * {@code dataDir}, and returns its meta.
   */
  public static BlockMeta write(
      Path dataDir, List<Labels> labels, long start, long hours, SampleSource source)
      throws IOException {
    int series = labels.size();
    int samples = (int) (hours * 3_600_000L / SyntheticSeries.SCRAPE_INTERVAL_MS);
    Ulid ulid = UlidGenerator.system().next();
    List<Object[]> all = new ArrayList<>(series);
    TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
    for (int i = 0; i < series; i++) {
      Labels l = labels.get(i);
      all.add(new Object[] {l, i});
      l.forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      });
    }
    all.sort((a, b) -> ((Labels) a[0]).compareTo((Labels) b[0]));
    BlockMeta[] meta = new BlockMeta[1];
    BlockDirectories.create(dataDir, ulid, dir -> {
      Files.createDirectories(dir.resolve(BlockFiles.CHUNKS));
      long[] ts = new long[samples];
      double[] vs = new double[samples];
      int chunkCount = (samples + SAMPLES_PER_CHUNK - 1) / SAMPLES_PER_CHUNK;
      HeapChunkBuffer[] buffers = new HeapChunkBuffer[chunkCount];
      for (int c = 0; c < chunkCount; c++) {
        buffers[c] = new HeapChunkBuffer(256);
      }
      XorChunkAppender app = new XorChunkAppender();
      ChunkBatch batch = new ChunkBatch();
      ChunkMetas metas = new ChunkMetas();
      long[] refs = new long[chunkCount];
      long[] mins = new long[chunkCount];
      long[] maxs = new long[chunkCount];
      try (IndexWriter index = IndexWriter.create(dir.resolve(BlockFiles.INDEX));
          ChunkSegmentWriter chunks = new ChunkSegmentWriter(dir.resolve(BlockFiles.CHUNKS))) {
        for (String s : symbols) {
          index.addSymbol(s);
        }
        for (Object[] s : all) {
          int i = (Integer) s[1];
          source.fill(i, start, ts, vs);
          batch.clear();
          for (int c = 0; c < chunkCount; c++) {
            app.start(buffers[c]);
            int from = c * SAMPLES_PER_CHUNK;
            int to = Math.min(samples, from + SAMPLES_PER_CHUNK);
            for (int k = from; k < to; k++) {
              app.append(ts[k], vs[k]);
            }
            mins[c] = ts[from];
            maxs[c] = ts[to - 1];
            batch.add(ChunkEncoding.XOR, buffers[c].array(), 0, app.byteLength());
          }
          chunks.write(batch, refs);
          metas.clear();
          for (int c = 0; c < chunkCount; c++) {
            metas.add(mins[c], maxs[c], refs[c]);
          }
          index.addSeries((Labels) s[0], metas);
        }
      }
      TombstonesWriter.write(dir, TombstoneSet.EMPTY);
      BlockMeta m =
          BlockMeta.newBlock(
              ulid, start, start + hours * 3_600_000L,
              new BlockStats((long) samples * series, series, (long) chunkCount * series, 0));
      BlockMetaFile.write(dir, m);
      meta[0] = m;
    });
    return meta[0];
  }
}
