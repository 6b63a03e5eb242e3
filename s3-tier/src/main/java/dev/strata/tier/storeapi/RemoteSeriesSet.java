package dev.strata.tier.storeapi;

import dev.strata.downsample.Aggregation;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.ChunkListSamples;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The series of a {@code Series} stream, read as frames arrive. A series may span several
 * consecutive frames (a long one, or equal label sets after replica labels were dropped): they
 * are joined into one. Warning frames go to the warning sink; hint frames are not used.
 *
 * <p>A series whose chunks are all raw reads them as they are. A series holding downsampled
 * chunks (aggregate parts, no raw part) reads the {@link Aggregation} given, as Thanos's querier
 * does: its {@link Series#chunks()} and {@link Series#samples()} are then XOR chunks of that
 * aggregation, built by {@link AggregatedChunks}.
 */
final class RemoteSeriesSet implements SeriesSet {
  private final Iterator<SeriesResponse> frames;
  private final Consumer<String> warnings;
  private final long mint;
  private final long maxt;
  private final Aggregation aggregation;
  private final String source;

  private dev.strata.tier.storeapi.proto.Series pending;
  private RemoteSeries current;

  /**
   * @param aggregation what to read from downsampled chunks
   * @param source names the endpoint in errors
   */
  RemoteSeriesSet(Iterator<SeriesResponse> frames, Consumer<String> warnings, long mint, long maxt,
      Aggregation aggregation, String source) {
    this.aggregation = aggregation;
    this.source = source;
    this.frames = frames;
    this.warnings = warnings;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public boolean next() {
    dev.strata.tier.storeapi.proto.Series first = pending != null ? pending : nextSeriesFrame();
    pending = null;
    if (first == null) {
      current = null;
      return false;
    }
    List<AggrChunk> chunks = new ArrayList<>(first.getChunksList());
    dev.strata.tier.storeapi.proto.Series following;
    while ((following = nextSeriesFrame()) != null) {
      if (!following.getLabelsList().equals(first.getLabelsList())) {
        pending = following;
        break;
      }
      chunks.addAll(following.getChunksList());
    }
    current = new RemoteSeries(ProtoLabels.fromProto(first.getLabelsList()), chunks);
    return true;
  }

  @Override
  public Series at() {
    return current;
  }

  private dev.strata.tier.storeapi.proto.Series nextSeriesFrame() {
    while (frames.hasNext()) {
      SeriesResponse r = frames.next();
      switch (r.getResultCase()) {
        case SERIES -> {
          return r.getSeries();
        }
        case WARNING -> warnings.accept(r.getWarning());
        case HINTS, RESULT_NOT_SET -> {
          // Hints describe what a store gateway read; nothing to do with them here.
        }
      }
    }
    return null;
  }

  private final class RemoteSeries implements Series {
    private final Labels labels;
    private final List<AggrChunk> chunks;
    private final boolean raw;

    RemoteSeries(Labels labels, List<AggrChunk> chunks) {
      this.labels = labels;
      this.chunks = chunks;
      this.raw = chunks.stream().allMatch(AggrChunk::hasRaw);
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public SampleIterator samples() {
      return new ChunkListSamples(raw ? new RemoteChunks(chunks) : aggregated(), mint, maxt);
    }

    /**
     * The raw chunks as received or, for downsampled data, XOR chunks of the aggregation read.
     *
     * @throws IllegalStateException if a downsampled chunk lacks the aggregate needed
     */
    @Override
    public ChunkIterator chunks() {
      return raw ? new RemoteChunks(chunks) : aggregated();
    }

    private AggregatedChunks aggregated() {
      return AggregatedChunks.of(labels, chunks, aggregation, "StoreAPI endpoint " + source);
    }
  }
}
