package dev.strata.tier.query;

import dev.strata.tier.query.SeriesStream.StoreSeries;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.ChunkList;
import dev.strata.tsdb.storage.ChunkListSamples;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The answers of several endpoints merged in label order (a k-way merge over their streams): a
 * series several endpoints sent is one series, its chunks in time order and each chunk sent more
 * than once kept once.
 *
 * <p>An endpoint that fails is left out with a warning naming it when partial responses are
 * accepted, and fails the merge with an {@link EndpointException} otherwise, at {@link
 * ProxyQuerier#select} if it fails before its first series, at {@link #next()} if later.
 */
final class MergedSeriesSet implements SeriesSet {

  /** One endpoint's stream and the series it is at. */
  private static final class Head {
    final SeriesStream stream;
    final int index;
    StoreSeries at;

    Head(SeriesStream stream, int index) {
      this.stream = stream;
      this.index = index;
    }
  }

  /** By labels, then in the order the endpoints were given: the merge is deterministic. */
  private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> {
    int c = a.at.labels().compareTo(b.at.labels());
    return c != 0 ? c : Integer.compare(a.index, b.index);
  });
  private final boolean partialResponse;
  private final Consumer<String> warnings;
  private final long mint;
  private final long maxt;
  private final List<Head> popped = new ArrayList<>();
  private MergedSeries current;

  /**
   * Waits for the first series of every stream.
   *
   * @throws EndpointException if an endpoint failed and partial response is off
   */
  MergedSeriesSet(List<SeriesStream> streams, boolean partialResponse,
      Consumer<String> warnings, long mint, long maxt) {
    this.partialResponse = partialResponse;
    this.warnings = warnings;
    this.mint = mint;
    this.maxt = maxt;
    for (int i = 0; i < streams.size(); i++) {
      Head h = new Head(streams.get(i), i);
      if (advance(h)) {
        heads.add(h);
      }
    }
  }

  /** @throws EndpointException if an endpoint failed and partial response is off */
  @Override
  public boolean next() {
    Head first = heads.poll();
    if (first == null) {
      current = null;
      return false;
    }
    Labels labels = first.at.labels();
    List<List<StoreChunk>> pieces = new ArrayList<>();
    popped.clear();
    popped.add(first);
    pieces.add(first.at.chunks());
    while (!heads.isEmpty() && heads.peek().at.labels().equals(labels)) {
      Head h = heads.poll();
      popped.add(h);
      pieces.add(h.at.chunks());
    }
    for (Head h : popped) {
      if (advance(h)) {
        heads.add(h);
      }
    }
    current = new MergedSeries(labels, StoreChunk.merge(pieces), mint, maxt);
    return true;
  }

  @Override
  public Series at() {
    return current;
  }

  /** Moves {@code h} to its stream's next series; false at its end or when it failed. */
  private boolean advance(Head h) {
    try {
      h.at = h.stream.take();
    } catch (SeriesStream.Failure e) {
      if (!partialResponse) {
        throw new EndpointException(h.stream.address(), e.getMessage(), e.getCause());
      }
      warnings.accept(e.getMessage());
      h.at = null;
    }
    return h.at != null;
  }

  /** One merged series. */
  private static final class MergedSeries implements Series, ChunkList {
    private final Labels labels;
    private final List<StoreChunk> chunks;
    private final long mint;
    private final long maxt;

    MergedSeries(Labels labels, List<StoreChunk> chunks, long mint, long maxt) {
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
      return new ChunkListSamples(this, mint, maxt);
    }

    @Override
    public ChunkIterator chunks() {
      return iterator();
    }

    @Override
    public byte encoding(int i) {
      return chunks.get(i).encoding();
    }

    @Override
    public byte[] bytes(int i) {
      return chunks.get(i).data().clone();
    }

    @Override
    public int size() {
      return chunks.size();
    }

    @Override
    public long minTime(int i) {
      return chunks.get(i).minTime();
    }

    @Override
    public long maxTime(int i) {
      return chunks.get(i).maxTime();
    }

    @Override
    public SampleIterator decode(int i) {
      return chunks.get(i).samples();
    }
  }
}
