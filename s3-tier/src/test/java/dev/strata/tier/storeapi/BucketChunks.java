package dev.strata.tier.storeapi;

import com.google.protobuf.ByteString;
import dev.strata.downsample.AggrChunkDecoder;
import dev.strata.downsample.AggrType;
import dev.strata.tier.storeapi.BucketFixture.LocalBlock;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Xxh64;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The chunks a store gateway should send for one series of local blocks, built from the blocks'
 * own chunk bytes: raw chunks whole, downsampled ones as the requested aggregates only.
 */
final class BucketChunks {
  private BucketChunks() {}

  /** The chunks of {@code series} (its stored labels) in {@code blocks}, block after block. */
  static List<AggrChunk> expected(List<LocalBlock> blocks, Labels series, Set<AggrType> aggregates,
      long mint, long maxt) throws IOException {
    List<AggrChunk> out = new ArrayList<>();
    for (LocalBlock b : blocks) {
      try (Block block = Block.open(b.dir()); BlockReader reader = block.reader()) {
        ChunkSeriesCursor c = reader.select(mint, maxt, equalTo(series));
        while (c.next()) {
          for (int i = 0; i < c.chunkCount(); i++) {
            byte[] data = new byte[c.chunkLength(i)];
            c.readChunk(i, data);
            AggrChunk.Builder chunk = AggrChunk.newBuilder()
                .setMinTime(c.chunkMinTime(i)).setMaxTime(c.chunkMaxTime(i));
            if (c.chunkEncoding(i) != ChunkEncoding.AGGREGATE) {
              out.add(chunk.setRaw(xor(data)).build());
              continue;
            }
            AggrChunkDecoder d = new AggrChunkDecoder().reset(data, 0, data.length, b.ulid());
            for (AggrType type : aggregates) {
              Chunk part = xor(Arrays.copyOfRange(d.bytes(), d.offset(type),
                  d.offset(type) + d.length(type)));
              switch (type) {
                case COUNT -> chunk.setCount(part);
                case SUM -> chunk.setSum(part);
                case MIN -> chunk.setMin(part);
                case MAX -> chunk.setMax(part);
                case COUNTER -> chunk.setCounter(part);
              }
            }
            out.add(chunk.build());
          }
        }
      }
    }
    return out;
  }

  static Chunk xor(byte[] data) {
    return Chunk.newBuilder().setType(Chunk.Encoding.XOR).setData(ByteString.copyFrom(data))
        .setHash(Xxh64.hash(data, 0, data.length)).build();
  }

  /** Matchers selecting exactly the series {@code labels}. */
  static LabelMatcher[] equalTo(Labels labels) {
    List<LabelMatcher> out = new ArrayList<>();
    labels.forEach((n, v) -> out.add(LabelMatcher.equal(n, v)));
    return out.toArray(LabelMatcher[]::new);
  }

  /** {@code series} as served by {@code producer}. */
  static Labels served(Labels series, Labels producer) {
    Labels.Builder b = series.toBuilder();
    producer.forEach(b::set);
    return b.build();
  }
}
