package dev.strata.downsample;

import dev.strata.tsdb.block.BlockCompaction;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.ThanosMeta;
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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes raw test blocks with exactly the chunks asked for (Prometheus's head would cut, reorder
 * or refuse some of the inputs the tests need: NaN, staleness markers, duplicate timestamps).
 */
public final class RawBlockBuilder {
  static final UlidGenerator ULIDS = new UlidGenerator();

  private record Chunk(long[] times, double[] values) {}

  private final TreeMap<Labels, List<Chunk>> series = new TreeMap<>();
  private ThanosMeta thanos;
  private List<Ulid> sources;
  private int level = 1;

  /** Adds a chunk to the series: times and values, one sample per index. */
  public RawBlockBuilder chunk(Labels labels, long[] times, double[] values) {
    series.computeIfAbsent(labels, l -> new ArrayList<>()).add(new Chunk(times.clone(), values.clone()));
    return this;
  }

  /** Adds the samples cut into chunks of {@code perChunk}. */
  public RawBlockBuilder samples(Labels labels, long[] times, double[] values, int perChunk) {
    for (int from = 0; from < times.length; from += perChunk) {
      int to = Math.min(times.length, from + perChunk);
      chunk(labels, java.util.Arrays.copyOfRange(times, from, to),
          java.util.Arrays.copyOfRange(values, from, to));
    }
    return this;
  }

  public RawBlockBuilder thanos(ThanosMeta value) {
    this.thanos = value;
    return this;
  }

  public RawBlockBuilder compaction(int level, List<Ulid> sources) {
    this.level = level;
    this.sources = sources;
    return this;
  }

  /** Writes the block into {@code dataDir} with range {@code [minTime, maxTime)}. */
  public BlockMeta write(Path dataDir, long minTime, long maxTime) throws IOException {
    Ulid ulid = ULIDS.next();
    BlockMeta[] meta = new BlockMeta[1];
    BlockDirectories.create(dataDir, ulid, dir -> {
      Files.createDirectories(dir.resolve(BlockFiles.CHUNKS));
      long samples = 0;
      long chunks = 0;
      try (IndexWriter index = IndexWriter.create(dir.resolve(BlockFiles.INDEX));
          ChunkSegmentWriter writer = new ChunkSegmentWriter(dir.resolve(BlockFiles.CHUNKS))) {
        TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
        for (Labels l : series.keySet()) {
          l.forEach((n, v) -> {
            symbols.add(n);
            symbols.add(v);
          });
        }
        for (String s : symbols) {
          index.addSymbol(s);
        }
        for (Map.Entry<Labels, List<Chunk>> e : series.entrySet()) {
          ChunkBatch batch = new ChunkBatch();
          ChunkMetas metas = new ChunkMetas();
          List<long[]> ranges = new ArrayList<>();
          for (Chunk c : e.getValue()) {
            HeapChunkBuffer buf = new HeapChunkBuffer(256);
            XorChunkAppender app = XorChunkAppender.create(buf);
            for (int i = 0; i < c.times.length; i++) {
              app.append(c.times[i], c.values[i]);
            }
            batch.add(ChunkEncoding.XOR, buf.array(), 0, app.byteLength());
            ranges.add(new long[] {c.times[0], c.times[c.times.length - 1]});
            samples += c.times.length;
          }
          long[] refs = new long[batch.size()];
          writer.write(batch, refs);
          for (int i = 0; i < refs.length; i++) {
            metas.add(ranges.get(i)[0], ranges.get(i)[1], refs[i]);
          }
          chunks += refs.length;
          index.addSeries(e.getKey(), metas);
        }
      }
      TombstonesWriter.write(dir, TombstoneSet.EMPTY);
      List<Ulid> src = sources == null ? List.of(ulid) : sources;
      BlockMeta m =
          new BlockMeta(
              ulid, minTime, maxTime, new BlockStats(samples, series.size(), chunks, 0),
              new BlockCompaction(level, src, false, List.of(), false, List.of(), Map.of()),
              Optional.ofNullable(thanos), Map.of());
      BlockMetaFile.write(dir, m);
      meta[0] = m;
    });
    return meta[0];
  }
}
