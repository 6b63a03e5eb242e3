package dev.strata.tier.prometheus;

import dev.strata.tier.prometheus.proto.Chunk;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.ChunkList;
import dev.strata.tsdb.storage.ChunkListSamples;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import java.util.List;

/**
 * One series of a remote read answer: its chunks as Prometheus sent them (whole, so they may hold
 * samples outside the querier's range), and its samples within the range.
 */
final class PrometheusSeries implements Series {
  private final Labels labels;
  private final List<Chunk> chunks;
  private final long mint;
  private final long maxt;

  PrometheusSeries(Labels labels, List<Chunk> chunks, long mint, long maxt) {
    this.labels = labels;
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public SampleIterator samples() {
    return new ChunkListSamples(list(), mint, maxt);
  }

  @Override
  public ChunkIterator chunks() {
    return list().iterator();
  }

  private ChunkList list() {
    return new ChunkList() {
      @Override
      public int size() {
        return chunks.size();
      }

      @Override
      public long minTime(int i) {
        return chunks.get(i).getMinTimeMs();
      }

      @Override
      public long maxTime(int i) {
        return chunks.get(i).getMaxTimeMs();
      }

      /** Prometheus's encoding byte: the remote read enum has the same numbers. */
      @Override
      public byte encoding(int i) {
        return (byte) chunks.get(i).getTypeValue();
      }

      @Override
      public byte[] bytes(int i) {
        return chunks.get(i).getData().toByteArray();
      }

      @Override
      public SampleIterator decode(int i) {
        return PrometheusSeries.decode(chunks.get(i));
      }
    };
  }

  /**
   * The samples of one XOR chunk.
   *
   * @throws IllegalStateException for a histogram chunk, which Strata does not read
   */
  static SampleIterator decode(Chunk chunk) {
    if (chunk.getTypeValue() != ChunkEncoding.XOR) {
      throw new IllegalStateException(
          "cannot read " + ChunkEncoding.name((byte) chunk.getTypeValue())
              + " chunks: Strata reads float samples only");
    }
    byte[] data = chunk.getData().toByteArray();
    return SampleIterator.of(new XorChunkIterator().reset(data, 0, data.length));
  }
}
