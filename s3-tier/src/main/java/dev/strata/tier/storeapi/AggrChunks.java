package dev.strata.tier.storeapi;

import dev.strata.downsample.AggrChunkDecoder;
import dev.strata.downsample.AggrType;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import java.util.Set;

/**
 * Stored chunks as the StoreAPI's {@code AggrChunk}s, for one request. A Prometheus chunk goes
 * whole into {@code raw}. A downsampled chunk (Thanos's AggrChunk, encoding {@code 0xff}) is split
 * and only the aggregates the request asks for are sent, each in its own field with the XXH64 of
 * its bytes, as Thanos's store gateway sends them (its {@code populateChunk}).
 *
 * <p>Thanos's gateway sends a downsampled chunk with no aggregate at all when a request names
 * none, which no reader can use (its querier always names one or two). {@link StoreQuery} makes
 * "none" mean count and sum instead, what Thanos's querier asks for when it knows nothing of the
 * query, so such a request still gets the windows' averages.
 *
 * <p>Not thread-safe: the decoder is reused from chunk to chunk.
 */
final class AggrChunks {
  private final Set<AggrType> aggregates;
  private final AggrChunkDecoder decoder = new AggrChunkDecoder();

  AggrChunks(Set<AggrType> aggregates) {
    this.aggregates = aggregates;
  }

  /**
   * The current chunk of {@code it}, a chunk of {@code series}.
   *
   * @throws IllegalStateException if a requested aggregate is not in a downsampled chunk
   * @throws dev.strata.tsdb.encoding.CorruptDataException if a downsampled chunk is malformed
   */
  AggrChunk of(ChunkIterator it, Labels series) {
    if (it.encoding() == ChunkEncoding.AGGREGATE) {
      return aggregates(it, series);
    }
    byte[] shared = it.visibleSamples() < 0 ? it.sharedBytes() : null;
    if (shared != null) {
      // Every sample visible, the bytes in an array never written again: sent from where they are.
      return AggrChunk.newBuilder()
          .setMinTime(it.minTime())
          .setMaxTime(it.maxTime())
          .setRaw(ProtoChunks.shared(it.encoding(), shared, it.sharedOffset(), it.sharedLength()))
          .build();
    }
    VisibleChunk chunk = VisibleChunk.of(it);
    return AggrChunk.newBuilder()
        .setMinTime(it.minTime())
        .setMaxTime(chunk.maxTime())
        .setRaw(ProtoChunks.raw(it.encoding(), chunk.data()))
        .build();
  }

  private AggrChunk aggregates(ChunkIterator it, Labels series) {
    byte[] data = it.bytes();
    String where = "the downsampled chunk of " + series + " over [" + it.minTime() + ", "
        + it.maxTime() + "]";
    decoder.reset(data, 0, data.length, where);
    AggrChunk.Builder b = AggrChunk.newBuilder().setMinTime(it.minTime()).setMaxTime(it.maxTime());
    for (AggrType type : aggregates) {
      if (!decoder.has(type)) {
        throw new IllegalStateException(
            where + " holds no " + type.label() + " aggregate, yet the request asks for it");
      }
      Chunk part = ProtoChunks.raw(
          decoder.encoding(type), decoder.bytes(), decoder.offset(type), decoder.length(type));
      switch (type) {
        case COUNT -> b.setCount(part);
        case SUM -> b.setSum(part);
        case MIN -> b.setMin(part);
        case MAX -> b.setMax(part);
        case COUNTER -> b.setCounter(part);
      }
    }
    return b.build();
  }
}
