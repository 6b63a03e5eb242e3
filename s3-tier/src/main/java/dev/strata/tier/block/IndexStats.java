package dev.strata.tier.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.chunks.ChunkCursor;
import dev.strata.tsdb.chunks.ChunkSegmentReader;
import dev.strata.tsdb.encoding.Varint;
import dev.strata.tsdb.fileutil.MappedFile;
import dev.strata.tsdb.index.Postings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The largest series entry and the largest chunk of a block, in bytes as stored (length field,
 * body and CRC): Thanos's {@code thanos.index_stats}. A reader of the block in a bucket fetches
 * series and chunks by ranges starting at their offsets, and these bounds tell it how far such a
 * range must reach without reading the whole index first.
 *
 * @param seriesMaxSize 0 if unknown
 * @param chunkMaxSize 0 if unknown
 */
public record IndexStats(long seriesMaxSize, long chunkMaxSize) {
  static final String FIELD = "index_stats";

  /** Measures the block in {@code blockDir}: one pass over the series refs and the chunk files. */
  public static IndexStats compute(Path blockDir) throws IOException {
    long seriesMax = 0;
    long chunkMax = 0;
    try (Block block = Block.open(blockDir);
        MappedFile index = MappedFile.open(blockDir.resolve(BlockFiles.INDEX))) {
      block.acquire();
      try {
        byte[] head = new byte[Varint.MAX_LEN_32];
        Postings all = block.index().allPostings();
        while (all.next()) {
          long at = all.at() * 16;
          int n = (int) Math.min(head.length, index.length() - at);
          index.read(at, head, 0, n);
          int fieldSize = Varint.uvarintLength(head, 0, n);
          long len = Varint.uvarint(head, 0, n);
          seriesMax = Math.max(seriesMax, fieldSize + len + 4);
        }
        ChunkSegmentReader chunks = block.chunks();
        ChunkCursor c = chunks.cursor();
        for (int s = 0; s < chunks.segmentCount(); s++) {
          c.scan(s);
          while (c.next()) {
            chunkMax = Math.max(chunkMax, c.endOffset() - c.offset());
          }
        }
      } finally {
        block.release();
      }
    }
    return new IndexStats(seriesMax, chunkMax);
  }

  /** The stats a Thanos section records, if it has them. */
  public static Optional<IndexStats> of(ThanosMeta thanos) {
    JsonNode n = thanos.extra().get(FIELD);
    if (n == null || !n.isObject()) {
      return Optional.empty();
    }
    IndexStats s = new IndexStats(n.path("series_max_size").asLong(0), n.path("chunk_max_size").asLong(0));
    return s.seriesMaxSize() > 0 || s.chunkMaxSize() > 0 ? Optional.of(s) : Optional.empty();
  }

  /** As Thanos writes it, zero fields left out. */
  JsonNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (seriesMaxSize > 0) {
      n.put("series_max_size", seriesMaxSize);
    }
    if (chunkMaxSize > 0) {
      n.put("chunk_max_size", chunkMaxSize);
    }
    return n;
  }
}
