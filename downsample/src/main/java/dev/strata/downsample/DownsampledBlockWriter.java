package dev.strata.downsample;

import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.chunks.ChunkBatch;
import dev.strata.tsdb.chunks.ChunkSegmentWriter;
import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.IndexWriter;
import dev.strata.tsdb.labels.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the index and chunk segments of a downsampled block into a block directory, series by
 * series, and counts what it wrote. Symbols first (all of the input's, as Thanos copies them, even
 * those of series that end up without chunks), then series in label order.
 */
final class DownsampledBlockWriter implements Closeable {
  private final IndexWriter index;
  private final ChunkSegmentWriter chunks;
  private final ChunkBatch batch = new ChunkBatch();
  private final ChunkMetas metas = new ChunkMetas();
  private long[] refs = new long[16];
  private long samples;
  private long series;
  private long chunkCount;

  DownsampledBlockWriter(Path blockDir) throws IOException {
    Files.createDirectories(blockDir.resolve(BlockFiles.CHUNKS));
    index = IndexWriter.create(blockDir.resolve(BlockFiles.INDEX));
    try {
      chunks = new ChunkSegmentWriter(blockDir.resolve(BlockFiles.CHUNKS));
    } catch (IOException | RuntimeException e) {
      index.abort();
      throw e;
    }
  }

  void addSymbol(String symbol) throws IOException {
    index.addSymbol(symbol);
  }

  /** Writes a series with its downsampled chunks; a series without chunks is left out. */
  void addSeries(Labels labels, OutputChunks out) throws IOException {
    int n = out.size();
    if (n == 0) {
      return;
    }
    batch.clear();
    out.addTo(batch);
    if (refs.length < n) {
      refs = new long[Math.max(n, refs.length * 2)];
    }
    chunks.write(batch, refs);
    batch.clear();
    metas.clear();
    for (int i = 0; i < n; i++) {
      metas.add(out.minTime(i), out.maxTime(i), refs[i]);
      samples += out.numSamples(i);
    }
    index.addSeries(labels, metas);
    series++;
    chunkCount += n;
  }

  /** Counts so far: samples as Thanos counts them (windows), series and chunks. */
  BlockStats stats() {
    return new BlockStats(samples, series, chunkCount, 0);
  }

  @Override
  public void close() throws IOException {
    try {
      chunks.close();
    } finally {
      index.close();
    }
  }

  /** Releases the files after a failure; the caller discards the directory. */
  void abort() {
    try {
      chunks.close();
    } catch (IOException | RuntimeException ignored) {
      // the block is being thrown away
    }
    try {
      index.abort();
    } catch (IOException | RuntimeException ignored) {
      // the block is being thrown away
    }
  }
}
