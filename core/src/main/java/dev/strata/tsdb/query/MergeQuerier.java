package dev.strata.tsdb.query;

import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A querier over several block readers (the blocks overlapping the range, and the head): series
 * are merged by labels, samples by time. Closing it closes (releases) the readers.
 */
public final class MergeQuerier implements Querier {
  private final List<BlockReader> readers;
  private final long mint;
  private final long maxt;
  private boolean closed;

  /** Takes ownership of {@code readers}. */
  public MergeQuerier(List<BlockReader> readers, long mint, long maxt) {
    this.readers = List.copyOf(readers);
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public long minTime() {
    return mint;
  }

  @Override
  public long maxTime() {
    return maxt;
  }

  @Override
  public SeriesSet select(LabelMatcher... matchers) {
    ensureOpen();
    List<ChunkSeriesCursor> cursors = new ArrayList<>(readers.size());
    for (BlockReader r : readers) {
      cursors.add(r.select(mint, maxt, matchers));
    }
    return new MergedSeriesSet(new SeriesMerger(cursors), mint, maxt);
  }

  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    ensureOpen();
    TreeSet<String> names = new TreeSet<>(Utf8Order.COMPARATOR);
    for (BlockReader r : readers) {
      names.addAll(r.labelNames(matchers));
    }
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    ensureOpen();
    TreeSet<String> values = new TreeSet<>(Utf8Order.COMPARATOR);
    for (BlockReader r : readers) {
      values.addAll(r.labelValues(name, matchers));
    }
    return List.copyOf(values);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("querier is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Closing.closeAll(readers, BlockReader::close);
  }

  private static final class MergedSeriesSet implements SeriesSet, Series {
    private final SeriesMerger merger;
    private final SeriesChunks chunks = new SeriesChunks();
    private final long mint;
    private final long maxt;

    MergedSeriesSet(SeriesMerger merger, long mint, long maxt) {
      this.merger = merger;
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public boolean next() {
      if (!merger.next()) {
        return false;
      }
      chunks.collect(merger);
      return true;
    }

    @Override
    public Series at() {
      return this;
    }

    @Override
    public Labels labels() {
      return merger.labels();
    }

    @Override
    public SampleIterator samples() {
      return new MergedSampleIterator(chunks, mint, maxt);
    }

    @Override
    public ChunkIterator chunks() {
      return new Chunks(chunks);
    }
  }

  private static final class Chunks implements ChunkIterator {
    private final SeriesChunks chunks;
    private int i = -1;

    Chunks(SeriesChunks chunks) {
      this.chunks = chunks;
    }

    @Override
    public boolean next() {
      return ++i < chunks.size();
    }

    @Override
    public long minTime() {
      return chunks.minTime(i);
    }

    @Override
    public long maxTime() {
      return chunks.maxTime(i);
    }

    @Override
    public byte encoding() {
      return chunks.source(i).chunkEncoding(chunks.index(i));
    }

    @Override
    public byte[] bytes() {
      ChunkSeriesCursor c = chunks.source(i);
      byte[] out = new byte[c.chunkLength(chunks.index(i))];
      c.readChunk(chunks.index(i), out);
      return out;
    }

    @Override
    public byte[] sharedBytes() {
      return chunks.source(i).chunkArray(chunks.index(i));
    }

    @Override
    public int sharedOffset() {
      return chunks.source(i).chunkOffset(chunks.index(i));
    }

    @Override
    public int sharedLength() {
      return chunks.source(i).chunkLength(chunks.index(i));
    }

    @Override
    public int visibleSamples() {
      return chunks.source(i).chunkVisibleSamples(chunks.index(i));
    }

    @Override
    public SampleIterator samples() {
      XorChunkIterator it = new XorChunkIterator();
      chunks.source(i).decode(chunks.index(i), it);
      return SampleIterator.of(it);
    }
  }
}
