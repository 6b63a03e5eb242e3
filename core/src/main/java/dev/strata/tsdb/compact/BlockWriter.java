package dev.strata.tsdb.compact;

import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunks.ChunkBatch;
import dev.strata.tsdb.chunks.ChunkSegmentWriter;
import dev.strata.tsdb.dedup.DedupSeriesSet;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.IndexWriter;
import dev.strata.tsdb.labels.Utf8Order;
import dev.strata.tsdb.query.MergedSampleIterator;
import dev.strata.tsdb.query.SeriesChunks;
import dev.strata.tsdb.query.SeriesMerger;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.tombstones.TombstoneSet;
import dev.strata.tsdb.tombstones.TombstonesWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Writes one block from the series of one or more sources (the head, or blocks being compacted)
 * over a time range, the way Prometheus's compactor does, so that a block cut from the head holds
 * the same bytes Prometheus would write.
 *
 * <ul>
 *   <li>The symbol table is the union of the sources' symbols.
 *   <li>Series come in label order; series without samples in the range are left out.
 *   <li>Chunks are copied byte for byte when they lie inside the range, overlap no other chunk and
 *       have no deleted samples; otherwise the series' samples are merged (duplicates dropped,
 *       deletions applied) and re-encoded into chunks of up to 120 samples.
 *   <li>The block is assembled in {@code <ULID>.tmp-for-creation} and renamed into place once
 *       every file is synced, so a crash leaves either no block or a whole one.
 * </ul>
 */
public final class BlockWriter {
  /** Samples per chunk when re-encoding, as Prometheus's compactor does. */
  static final int SAMPLES_PER_CHUNK = 120;

  private BlockWriter() {}

  /**
   * Writes the block described by {@code meta} (its ULID, range {@code [minTime, maxTime)} and
   * compaction section; stats are filled in) from {@code sources} into {@code dataDir}.
   *
   * @return the written block's meta, or empty when no series had samples in the range (nothing is
   *     written then)
   */
  public static Optional<BlockMeta> write(Path dataDir, BlockMeta meta, List<BlockReader> sources)
      throws IOException {
    return write(dataDir, meta, sources, VerticalMerge.ONE_TO_ONE);
  }

  /**
   * As {@link #write(Path, BlockMeta, List)}, with {@code merge} saying how the samples of a series
   * whose chunks overlap across sources are merged.
   */
  public static Optional<BlockMeta> write(Path dataDir, BlockMeta meta, List<BlockReader> sources,
      VerticalMerge merge) throws IOException {
    long mint = meta.minTime();
    long maxt = meta.maxTime() - 1; // inclusive
    Path[] written = new Path[1];
    BlockStats[] stats = new BlockStats[1];
    Path tmp = dataDir.resolve(meta.ulid() + BlockDirectories.TMP_FOR_CREATION_SUFFIX);
    try {
      BlockDirectories.create(dataDir, meta.ulid(), dir -> {
        stats[0] = writeContents(dir, mint, maxt, sources, merge);
        if (stats[0].numSeries() == 0) {
          throw new EmptyBlock();
        }
        BlockMetaFile.write(dir, meta.withStats(stats[0]));
        TombstonesWriter.write(dir, TombstoneSet.EMPTY);
        written[0] = dir;
      });
    } catch (EmptyBlock e) {
      return Optional.empty();
    } finally {
      if (Files.exists(tmp)) {
        FileTrees.deleteRecursively(tmp);
      }
    }
    return Optional.of(meta.withStats(stats[0]));
  }

  // Signals "no series in range" out of the directory-creation callback, which then cleans up.
  private static final class EmptyBlock extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EmptyBlock() {
      super(null, null, false, false);
    }
  }

  private static BlockStats writeContents(Path dir, long mint, long maxt, List<BlockReader> sources,
      VerticalMerge merge) throws IOException {
    Files.createDirectories(dir.resolve(BlockFiles.CHUNKS));
    try (IndexWriter index = IndexWriter.create(dir.resolve(BlockFiles.INDEX));
        ChunkSegmentWriter chunkWriter = new ChunkSegmentWriter(dir.resolve(BlockFiles.CHUNKS))) {
      for (String symbol : mergedSymbols(sources)) {
        index.addSymbol(symbol);
      }
      List<ChunkSeriesCursor> cursors = new ArrayList<>(sources.size());
      for (BlockReader source : sources) {
        cursors.add(source.select(mint, maxt));
      }
      SeriesWriter series = new SeriesWriter(index, chunkWriter, mint, maxt, merge);
      SeriesMerger merger = new SeriesMerger(cursors);
      SeriesChunks chunks = new SeriesChunks();
      while (merger.next()) {
        series.write(merger, chunks.collect(merger));
      }
      return new BlockStats(series.samples, series.series, series.chunkCount, 0);
    }
  }

  private static List<String> mergedSymbols(List<BlockReader> sources) {
    if (sources.size() == 1) {
      List<String> symbols = new ArrayList<>();
      sources.get(0).forEachSymbol(symbols::add);
      return symbols;
    }
    TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
    for (BlockReader source : sources) {
      source.forEachSymbol(symbols::add);
    }
    return new ArrayList<>(symbols);
  }

  // Writes series one at a time, reusing its buffers.
  private static final class SeriesWriter {
    private final IndexWriter index;
    private final ChunkSegmentWriter chunkWriter;
    private final long mint;
    private final long maxt;
    private final ChunkBatch batch = new ChunkBatch();
    private final ChunkMetas metas = new ChunkMetas();
    private long[] refs = new long[16];
    private long[] minTimes = new long[16];
    private long[] maxTimes = new long[16];
    private byte[][] buffers = new byte[16][];
    private final XorChunkAppender appender = new XorChunkAppender();
    private final VerticalMerge merge;
    long samples;
    long series;
    long chunkCount;

    SeriesWriter(IndexWriter index, ChunkSegmentWriter chunkWriter, long mint, long maxt,
        VerticalMerge merge) {
      this.merge = merge;
      this.index = index;
      this.chunkWriter = chunkWriter;
      this.mint = mint;
      this.maxt = maxt;
    }

    void write(SeriesMerger merger, SeriesChunks chunks) throws IOException {
      batch.clear();
      int n = chunks.size();
      if (n == 0) {
        return;
      }
      int count = copyable(chunks) ? copy(chunks) : reencode(chunks);
      if (count == 0) {
        return;
      }
      if (refs.length < count) {
        refs = new long[Math.max(count, refs.length * 2)];
      }
      chunkWriter.write(batch, refs);
      metas.clear();
      for (int i = 0; i < count; i++) {
        metas.add(minTimes[i], maxTimes[i], refs[i]);
      }
      index.addSeries(merger.labels(), metas);
      series++;
      chunkCount += count;
    }

    private boolean copyable(SeriesChunks chunks) {
      if (chunks.overlapping()) {
        return false;
      }
      for (int i = 0; i < chunks.size(); i++) {
        ChunkSeriesCursor c = chunks.source(i);
        long min = chunks.minTime(i);
        long max = chunks.maxTime(i);
        if (min < mint || max > maxt || c.chunkVisibleSamples(chunks.index(i)) >= 0
            && c.chunkVisibleSamples(chunks.index(i)) < xorSampleCount(c, chunks.index(i))) {
          return false;
        }
        if (!c.deleted().isEmpty() && intersects(c, min, max)) {
          return false;
        }
      }
      return true;
    }

    private static boolean intersects(ChunkSeriesCursor c, long min, long max) {
      var deleted = c.deleted();
      for (int k = 0; k < deleted.size(); k++) {
        if (deleted.minTime(k) <= max && deleted.maxTime(k) >= min) {
          return true;
        }
      }
      return false;
    }

    private int xorSampleCount(ChunkSeriesCursor c, int index) {
      byte[] header = buffer(0, Math.max(2, c.chunkLength(index)));
      c.readChunk(index, header);
      return ((header[0] & 0xFF) << 8) | (header[1] & 0xFF);
    }

    private int copy(SeriesChunks chunks) {
      int n = chunks.size();
      ensureSlots(n);
      for (int i = 0; i < n; i++) {
        ChunkSeriesCursor c = chunks.source(i);
        int index = chunks.index(i);
        int length = c.chunkLength(index);
        byte[] data = buffer(i, length);
        c.readChunk(index, data);
        byte encoding = c.chunkEncoding(index);
        batch.add(encoding, data, 0, length);
        minTimes[i] = chunks.minTime(i);
        maxTimes[i] = chunks.maxTime(i);
        if (encoding == ChunkEncoding.XOR && length >= 2) {
          samples += ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        }
      }
      return n;
    }

    private int reencode(SeriesChunks chunks) {
      // Raw bits where they can be had, so that NaN payloads (stale markers) pass unchanged.
      MergedSampleIterator merged = merge == VerticalMerge.PENALTY && chunks.overlapping()
          ? null : new MergedSampleIterator(chunks, mint, maxt);
      SampleIterator it = merged != null ? merged : penalty(chunks);
      int count = 0;
      HeapChunkBuffer buf = null;
      while (it.next()) {
        if (buf == null || appender.numSamples() == SAMPLES_PER_CHUNK) {
          if (buf != null) {
            count = finish(buf, count);
          }
          ensureSlots(count + 1);
          buf = new HeapChunkBuffer(256);
          appender.start(buf);
          minTimes[count] = it.t();
        }
        appender.appendBits(it.t(),
            merged != null ? merged.valueBits() : Double.doubleToRawLongBits(it.v()));
        maxTimes[count] = it.t();
        samples++;
      }
      if (buf != null) {
        count = finish(buf, count);
      }
      return count;
    }

    // Each source is a replica: its own samples, then Thanos's penalty algorithm over them.
    private SampleIterator penalty(SeriesChunks chunks) {
      List<SampleIterator> replicas = new ArrayList<>();
      List<ChunkSeriesCursor> seen = new ArrayList<>();
      for (int i = 0; i < chunks.size(); i++) {
        ChunkSeriesCursor source = chunks.source(i);
        if (!seen.contains(source)) {
          seen.add(source);
          replicas.add(new MergedSampleIterator(new SeriesChunks().only(chunks, source), mint,
              maxt));
        }
      }
      return DedupSeriesSet.deduplicate(replicas, false);
    }

    private int finish(HeapChunkBuffer buf, int count) {
      batch.add(ChunkEncoding.XOR, buf.array(), 0, appender.byteLength());
      return count + 1;
    }

    private void ensureSlots(int n) {
      if (minTimes.length < n) {
        int cap = Math.max(n, minTimes.length * 2);
        minTimes = Arrays.copyOf(minTimes, cap);
        maxTimes = Arrays.copyOf(maxTimes, cap);
        buffers = Arrays.copyOf(buffers, cap);
      }
    }

    // A reusable array for chunk i of the current series.
    private byte[] buffer(int i, int length) {
      ensureSlots(i + 1);
      if (buffers[i] == null || buffers[i].length < length) {
        buffers[i] = new byte[Math.max(length, 256)];
      }
      return buffers[i];
    }
  }
}
