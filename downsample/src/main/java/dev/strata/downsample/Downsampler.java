package dev.strata.downsample;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.chunks.ChunkCursor;
import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.IndexReader;
import dev.strata.tsdb.index.Postings;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.tombstones.Intervals;
import dev.strata.tsdb.tombstones.TombstoneSet;
import dev.strata.tsdb.tombstones.TombstonesWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Downsamples a block to 5-minute or 1-hour aggregates, producing the block Thanos's compactor
 * would produce from the same input.
 *
 * <p>The block is read series by series straight from its index and chunk segments and written as
 * it is read: memory holds one series' samples and output chunks at a time (plus the index
 * writer's per-symbol state), whatever the size of the block.
 *
 * <p>The new block keeps the input's time range, compaction section (level, sources, parents) and
 * Thanos labels; it gets a new ULID, the target resolution, source {@code compactor}, and its own
 * {@code segment_files} and {@code files} lists. Keeping the sources is what tells a compactor that
 * the input has been downsampled already. Samples deleted by tombstones are left out; the new block
 * has no tombstones.
 *
 * <p>Raw input: staleness markers are dropped, as are samples that go back in time within a chunk
 * (and negative timestamps, which Thanos treats the same way); see {@link RawDownsampler} for the
 * rest. Downsampled input: see {@link AggrDownsampler}. Chunks of native histograms are not
 * supported.
 */
public final class Downsampler {
  private final UlidGenerator ulids;
  private final RawDownsampler raw = new RawDownsampler();
  private final AggrDownsampler aggr = new AggrDownsampler();
  private final OutputChunks out = new OutputChunks();
  private final XorChunkIterator it = new XorChunkIterator();
  private final ChunkMetas metas = new ChunkMetas();
  private final RawSamples rawSamples = new RawSamples();

  /** A downsampler naming blocks with {@code ulids}; one block at a time, not thread-safe. */
  public Downsampler(UlidGenerator ulids) {
    this.ulids = Objects.requireNonNull(ulids, "ulids");
  }

  /**
   * Downsamples {@code input} to {@code resolution} into a new block in {@code outDir}, named by
   * the system ULID generator.
   *
   * @return the new block's meta; the block is {@code outDir/<ulid>}
   * @throws IllegalArgumentException if {@code resolution} is not 5m or 1h, or not coarser than
   *     the input's
   */
  public static BlockMeta downsample(Block input, long resolution, Path outDir) throws IOException {
    return new Downsampler(UlidGenerator.system()).run(input, resolution, outDir);
  }

  /** As {@link #downsample(Block, long, Path)}, with this downsampler's ULIDs. */
  public BlockMeta run(Block input, long resolution, Path outDir) throws IOException {
    long from = resolutionOf(input.meta());
    if (resolution != Resolutions.FIVE_MINUTES && resolution != Resolutions.ONE_HOUR) {
      throw new IllegalArgumentException(
          "resolution " + resolution + " ms is neither 5m (" + Resolutions.FIVE_MINUTES
              + ") nor 1h (" + Resolutions.ONE_HOUR + ")");
    }
    if (from >= resolution) {
      throw new IllegalArgumentException(
          "block " + input.ulid() + " has resolution " + Resolutions.format(from)
              + ", not finer than the target " + Resolutions.format(resolution));
    }
    Ulid ulid = ulids.next();
    BlockMeta[] written = new BlockMeta[1];
    input.acquire();
    try {
      BlockDirectories.create(outDir, ulid, dir -> written[0] = write(input, from, resolution, ulid, dir));
    } finally {
      input.release();
    }
    return written[0];
  }

  /** The downsampling resolution in a block's meta; 0 without a Thanos section. */
  public static long resolutionOf(BlockMeta meta) {
    return meta.thanos().map(ThanosMeta::downsampleResolution).orElse(Resolutions.RAW);
  }

  private BlockMeta write(Block input, long from, long resolution, Ulid ulid, Path dir)
      throws IOException {
    DownsampledBlockWriter writer = new DownsampledBlockWriter(dir);
    BlockStats stats;
    try {
      IndexReader index = input.index();
      try {
        index.forEachSymbol(symbol -> {
          try {
            writer.addSymbol(symbol);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      ChunkCursor chunks = input.chunks().cursor();
      TombstoneSet tombstones = input.tombstones();
      Postings postings = index.allPostings();
      while (postings.next()) {
        long ref = postings.at();
        metas.clear();
        Labels labels = index.series(ref, metas);
        checkOrdered(input, labels);
        out.clear();
        Intervals deleted = tombstones.get(ref);
        if (from == Resolutions.RAW) {
          collectRaw(chunks, labels, deleted);
          raw.downsample(rawSamples.times, rawSamples.values, rawSamples.size, resolution, out);
        } else {
          collectAggregates(chunks, deleted);
          aggr.finish(from, resolution, out);
        }
        writer.addSeries(labels, out);
      }
      stats = writer.stats();
      writer.close();
    } catch (IOException | RuntimeException | Error e) {
      writer.abort();
      throw e;
    }
    TombstonesWriter.write(dir, TombstoneSet.EMPTY);
    BlockMeta meta = meta(input.meta(), resolution, ulid, stats, dir);
    BlockMetaFile.write(dir, meta);
    return meta;
  }

  // Thanos refuses series whose chunks overlap: their samples would be aggregated twice.
  private void checkOrdered(Block input, Labels labels) {
    for (int i = 1; i < metas.size(); i++) {
      if (metas.maxTime(i - 1) >= metas.minTime(i)) {
        throw new IllegalStateException(
            "block " + input.ulid() + ": series " + labels + " has overlapping chunks ["
                + metas.minTime(i - 1) + ", " + metas.maxTime(i - 1) + "] and ["
                + metas.minTime(i) + ", " + metas.maxTime(i) + "]; compact the block first");
      }
    }
  }

  // The series' raw samples into rawSamples, cleaned as Thanos expands chunks.
  private void collectRaw(ChunkCursor chunks, Labels labels, Intervals deleted) {
    rawSamples.clear();
    for (int c = 0; c < metas.size(); c++) {
      ChunkCursor chunk = chunks.seek(metas.ref(c));
      if (chunk.encoding() != ChunkEncoding.XOR) {
        throw new UnsupportedOperationException(
            chunk.source().description() + ": chunk at offset " + chunk.offset() + " of series "
                + labels + " has encoding " + ChunkEncoding.name(chunk.encoding())
                + "; only XOR chunks of a raw block can be downsampled");
      }
      it.reset(chunk.source(), chunk.dataPosition(), chunk.dataLength());
      rawSamples.addChunk(it, deleted);
    }
  }

  private void collectAggregates(ChunkCursor chunks, Intervals deleted) {
    aggr.begin(deleted);
    for (int c = 0; c < metas.size(); c++) {
      ChunkCursor chunk = chunks.seek(metas.ref(c));
      byte encoding = chunk.encoding();
      if (encoding == ChunkEncoding.AGGREGATE) {
        aggr.addAggrChunk(
            chunk.source(), chunk.dataPosition(), chunk.dataLength(),
            metas.minTime(c), metas.maxTime(c));
      } else if (encoding == ChunkEncoding.XOR) {
        if (chunk.dataLength() >= 2 && chunk.source().readUnsignedShort(chunk.dataPosition()) > 0) {
          aggr.addRawChunk(chunk.source(), chunk.dataPosition(), chunk.dataLength());
        }
      } else {
        throw new UnsupportedOperationException(
            chunk.source().description() + ": chunk at offset " + chunk.offset() + " has encoding "
                + ChunkEncoding.name(encoding) + "; a downsampled block holds aggregate chunks");
      }
    }
  }

  private static BlockMeta meta(BlockMeta in, long resolution, Ulid ulid, BlockStats stats, Path dir)
      throws IOException {
    ThanosMeta source = in.thanos().orElse(new ThanosMeta(Map.of(), Resolutions.RAW, ""));
    Map<String, JsonNode> extra = new LinkedHashMap<>(source.extra());
    extra.remove("index_stats"); // describes the input's index, not this one
    List<String> segments = segmentFiles(dir);
    List<ThanosMeta.File> files = new ArrayList<>();
    for (String segment : segments) {
      Path p = dir.resolve(BlockFiles.CHUNKS).resolve(segment);
      files.add(new ThanosMeta.File(BlockFiles.CHUNKS + "/" + segment, Files.size(p)));
    }
    files.add(new ThanosMeta.File(BlockFiles.INDEX, Files.size(dir.resolve(BlockFiles.INDEX))));
    files.add(new ThanosMeta.File(BlockFiles.META_JSON, 0));
    ThanosMeta thanos =
        new ThanosMeta(
            source.labels(), resolution, ThanosMeta.SOURCE_COMPACTOR, segments, files, extra);
    return new BlockMeta(
        ulid, in.minTime(), in.maxTime(), stats, in.compaction(), Optional.of(thanos), in.extra());
  }

  private static List<String> segmentFiles(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.resolve(BlockFiles.CHUNKS))) {
      for (Path p : entries) {
        names.add(p.getFileName().toString());
      }
    }
    names.sort(null);
    return names;
  }
}
