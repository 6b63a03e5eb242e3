package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.ChunkListSamples;
import dev.strata.tsdb.storage.SampleIterator;
import java.util.List;

/**
 * The raw chunks of one series received from a StoreAPI endpoint, decoded only when read. Only
 * for series whose chunks are all raw: a series holding downsampled chunks is read through
 * {@link AggregatedChunks} instead, so the filter below never drops a chunk there.
 */
final class RemoteChunks implements ChunkIterator, ChunkListSamples.Chunks {
  private final List<AggrChunk> chunks;
  private int i = -1;

  RemoteChunks(List<AggrChunk> chunks) {
    this.chunks = chunks.stream().filter(AggrChunk::hasRaw).toList();
  }

  @Override
  public boolean next() {
    return ++i < chunks.size();
  }

  @Override
  public long minTime() {
    return chunks.get(i).getMinTime();
  }

  @Override
  public long maxTime() {
    return chunks.get(i).getMaxTime();
  }

  @Override
  public byte encoding() {
    return ProtoChunks.toPrometheus(chunks.get(i).getRaw().getType());
  }

  @Override
  public byte[] bytes() {
    return chunks.get(i).getRaw().getData().toByteArray();
  }

  @Override
  public SampleIterator samples() {
    return decode(chunks.get(i));
  }

  @Override
  public int size() {
    return chunks.size();
  }

  @Override
  public long minTime(int index) {
    return chunks.get(index).getMinTime();
  }

  @Override
  public long maxTime(int index) {
    return chunks.get(index).getMaxTime();
  }

  @Override
  public SampleIterator decode(int index) {
    return decode(chunks.get(index));
  }

  /**
   * The samples of a raw XOR chunk.
   *
   * @throws IllegalStateException for a histogram chunk, which Strata does not read
   */
  static SampleIterator decode(AggrChunk chunk) {
    byte encoding = ProtoChunks.toPrometheus(chunk.getRaw().getType());
    if (encoding != ChunkEncoding.XOR) {
      throw new IllegalStateException(
          "cannot read " + ChunkEncoding.name(encoding) + " chunks: Strata reads float samples only");
    }
    byte[] data = chunk.getRaw().getData().toByteArray();
    XorChunkIterator it = new XorChunkIterator().reset(data, 0, data.length);
    return SampleIterator.of(it);
  }
}
