package dev.strata.tsdb.block;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.chunks.ChunkCursor;
import dev.strata.tsdb.chunks.ChunkSegmentReader;
import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.IndexReader;
import dev.strata.tsdb.index.Postings;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import dev.strata.tsdb.tombstones.Intervals;
import dev.strata.tsdb.tombstones.TombstoneSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * A block as one query or compaction reads it: holds a reference on the block until closed, and
 * the tombstones as they were when it was opened.
 */
public final class BlockQueryReader implements BlockReader {
  private final Block block;
  private final IndexReader index;
  private final ChunkSegmentReader chunks;
  private final TombstoneSet tombstones;
  private boolean closed;

  BlockQueryReader(Block block, IndexReader index, ChunkSegmentReader chunks, TombstoneSet tombstones) {
    this.block = block;
    this.index = index;
    this.chunks = chunks;
    this.tombstones = tombstones;
  }

  public Block block() {
    return block;
  }

  @Override
  public long minTime() {
    return block.minTime();
  }

  @Override
  public long maxTime() {
    return block.maxTime();
  }

  @Override
  public ChunkSeriesCursor select(long mint, long maxt, LabelMatcher... matchers) {
    Postings refs = matchers.length == 0 ? index.allPostings() : index.postingsForMatchers(matchers);
    return new Cursor(refs, mint, maxt);
  }

  @Override
  public void forEachSymbol(Consumer<String> consumer) {
    index.forEachSymbol(consumer);
  }

  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    if (matchers.length == 0) {
      return index.labelNames();
    }
    java.util.TreeSet<String> names = new java.util.TreeSet<>(dev.strata.tsdb.labels.Utf8Order.COMPARATOR);
    Postings p = index.postingsForMatchers(matchers);
    while (p.next()) {
      Labels l = index.series(p.at(), null);
      for (int i = 0; i < l.size(); i++) {
        names.add(l.name(i));
      }
    }
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    return index.sortedLabelValues(name, matchers);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      block.release();
    }
  }

  private final class Cursor implements ChunkSeriesCursor {
    private final Postings refs;
    private final long mint;
    private final long maxt;
    private final ChunkMetas metas = new ChunkMetas();
    private final ChunkCursor chunkCursor = chunks.cursor();
    // Indexes into `metas` of the chunks overlapping [mint, maxt].
    private int[] selected = new int[16];
    private int count;
    private Labels labels;
    private Intervals deleted = Intervals.EMPTY;

    Cursor(Postings refs, long mint, long maxt) {
      this.refs = refs;
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public boolean next() {
      while (refs.next()) {
        long ref = refs.at();
        metas.clear();
        labels = index.series(ref, metas);
        count = 0;
        for (int i = 0; i < metas.size(); i++) {
          if (metas.minTime(i) <= maxt && metas.maxTime(i) >= mint) {
            if (count == selected.length) {
              selected = java.util.Arrays.copyOf(selected, count * 2);
            }
            selected[count++] = i;
          }
        }
        if (count > 0) {
          deleted = tombstones.get(ref);
          return true;
        }
      }
      return false;
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public int chunkCount() {
      return count;
    }

    @Override
    public long chunkMinTime(int i) {
      return metas.minTime(selected[i]);
    }

    @Override
    public long chunkMaxTime(int i) {
      return metas.maxTime(selected[i]);
    }

    private ChunkCursor at(int i) {
      return chunkCursor.seek(metas.ref(selected[i]));
    }

    @Override
    public byte chunkEncoding(int i) {
      return at(i).encoding();
    }

    @Override
    public int chunkLength(int i) {
      return at(i).dataLength();
    }

    @Override
    public int chunkVisibleSamples(int i) {
      return -1;
    }

    @Override
    public void readChunk(int i, byte[] dst) {
      ChunkCursor c = at(i);
      c.source().read(c.dataPosition(), dst, 0, c.dataLength());
    }

    @Override
    public void decode(int i, XorChunkIterator it) {
      ChunkCursor c = at(i);
      if (c.encoding() != ChunkEncoding.XOR) {
        // Decoding anything else as XOR yields plausible-looking garbage rather than an error.
        throw new UnsupportedOperationException(
            c.source().description() + ": chunk at offset " + c.offset() + " has encoding "
                + ChunkEncoding.name(c.encoding()) + ", which cannot be read as XOR samples"
                + " (aggregate chunks of downsampled blocks are read through strata-downsample)");
      }
      it.reset(c.source(), c.dataPosition(), c.dataLength());
    }

    @Override
    public Intervals deleted() {
      return deleted;
    }
  }
}
