package dev.strata.tier.prometheus;

import dev.strata.tier.prometheus.proto.Chunk;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
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
    return new ChunkSamples(chunks, mint, maxt);
  }

  @Override
  public ChunkIterator chunks() {
    return new ChunkIterator() {
      private int i = -1;

      @Override
      public boolean next() {
        return ++i < chunks.size();
      }

      @Override
      public long minTime() {
        return chunks.get(i).getMinTimeMs();
      }

      @Override
      public long maxTime() {
        return chunks.get(i).getMaxTimeMs();
      }

      /** Prometheus's encoding byte: the remote read enum has the same numbers. */
      @Override
      public byte encoding() {
        return (byte) chunks.get(i).getTypeValue();
      }

      @Override
      public byte[] bytes() {
        return chunks.get(i).getData().toByteArray();
      }

      @Override
      public SampleIterator samples() {
        return ChunkSamples.decode(chunks.get(i));
      }
    };
  }
}
