package dev.strata.downsample;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything in a downsampled block, decoded, for assertions. */
final class AggrBlockContents {
  private AggrBlockContents() {}

  /** One sample; values compared bit for bit through their record equality on doubles. */
  record Sample(long t, double v) {
    @Override
    public String toString() {
      return v + "@" + t;
    }
  }

  /** One AggrChunk: its index time range and the samples of each present aggregate. */
  record Chunk(long minTime, long maxTime, Map<AggrType, List<Sample>> aggregates) {
    List<Sample> get(AggrType type) {
      return aggregates.get(type);
    }
  }

  static Sample s(long t, double v) {
    return new Sample(t, v);
  }

  static Map<Labels, List<Chunk>> read(Path blockDir) throws IOException {
    Map<Labels, List<Chunk>> out = new LinkedHashMap<>();
    try (Block block = Block.open(blockDir); BlockReader reader = block.reader()) {
      ChunkSeriesCursor c = reader.select(Long.MIN_VALUE, Long.MAX_VALUE);
      AggrChunkDecoder decoder = new AggrChunkDecoder();
      XorChunkIterator it = new XorChunkIterator();
      while (c.next()) {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < c.chunkCount(); i++) {
          if (c.chunkEncoding(i) != ChunkEncoding.AGGREGATE) {
            throw new AssertionError("chunk " + i + " of " + c.labels() + " has encoding "
                + ChunkEncoding.name(c.chunkEncoding(i)));
          }
          byte[] bytes = new byte[c.chunkLength(i)];
          c.readChunk(i, bytes);
          decoder.reset(bytes, 0, bytes.length, "test");
          Map<AggrType, List<Sample>> aggregates = new EnumMap<>(AggrType.class);
          for (AggrType type : AggrType.values()) {
            if (decoder.open(type, it)) {
              List<Sample> samples = new ArrayList<>();
              while (it.next()) {
                samples.add(new Sample(it.atT(), it.atV()));
              }
              aggregates.put(type, samples);
            }
          }
          chunks.add(new Chunk(c.chunkMinTime(i), c.chunkMaxTime(i), aggregates));
        }
        out.put(c.labels(), chunks);
      }
    }
    return out;
  }
}
