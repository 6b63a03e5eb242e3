package dev.strata.tsdb.dedup;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.ChunkList;
import dev.strata.tsdb.storage.ChunkListSamples;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A series received as XOR chunks, as a StoreAPI client holds it (samples read with {@link
 * ChunkListSamples}, chunks as a {@link ChunkList}), and series sets over such series: one that,
 * like a streaming one, makes a series unreadable once it has moved past it, and one that leaves
 * them readable, like a querier's answer held in memory.
 */
final class ChunkedSeries implements Series, ChunkList {
  private final Labels labels;
  private final List<byte[]> chunks = new ArrayList<>();
  private final List<long[]> bounds = new ArrayList<>();
  private final long mint;
  private final long maxt;
  private boolean valid = true;

  /** A series of the given chunks, each a list of samples, its samples cut to [mint, maxt]. */
  ChunkedSeries(Labels labels, long mint, long maxt, List<List<Sample>> chunks) {
    this.labels = labels;
    this.mint = mint;
    this.maxt = maxt;
    for (List<Sample> c : chunks) {
      HeapChunkBuffer buf = new HeapChunkBuffer();
      XorChunkAppender app = XorChunkAppender.create(buf);
      for (Sample s : c) {
        app.append(s.t(), s.v());
      }
      this.chunks.add(Arrays.copyOf(buf.array(), app.byteLength()));
      this.bounds.add(new long[] {c.get(0).t(), c.get(c.size() - 1).t()});
    }
  }

  /** The samples cut into chunks of {@code perChunk}. */
  static List<List<Sample>> cut(List<Sample> samples, int perChunk) {
    List<List<Sample>> out = new ArrayList<>();
    for (int i = 0; i < samples.size(); i += perChunk) {
      out.add(samples.subList(i, Math.min(samples.size(), i + perChunk)));
    }
    return out;
  }

  private void check() {
    if (!valid) {
      throw new IllegalStateException("series read after its set moved on");
    }
  }

  @Override
  public Labels labels() {
    check();
    return labels;
  }

  @Override
  public SampleIterator samples() {
    check();
    return new ChunkListSamples(this, mint, maxt);
  }

  @Override
  public int size() {
    check();
    return chunks.size();
  }

  @Override
  public long minTime(int i) {
    check();
    return bounds.get(i)[0];
  }

  @Override
  public long maxTime(int i) {
    check();
    return bounds.get(i)[1];
  }

  @Override
  public byte encoding(int i) {
    return ChunkEncoding.XOR;
  }

  @Override
  public byte[] bytes(int i) {
    check();
    return chunks.get(i).clone();
  }

  @Override
  public SampleIterator decode(int i) {
    check();
    return decode(chunks.get(i));
  }

  static SampleIterator decode(byte[] chunk) {
    return SampleIterator.of(new XorChunkIterator().reset(chunk, 0, chunk.length));
  }

  @Override
  public ChunkIterator chunks() {
    check();
    return new ChunkIterator() {
      private int i = -1;

      @Override
      public boolean next() {
        check();
        return ++i < chunks.size();
      }

      @Override
      public long minTime() {
        return bounds.get(i)[0];
      }

      @Override
      public long maxTime() {
        return bounds.get(i)[1];
      }

      @Override
      public byte encoding() {
        return ChunkEncoding.XOR;
      }

      @Override
      public byte[] bytes() {
        return chunks.get(i);
      }

      @Override
      public SampleIterator samples() {
        check();
        return decode(chunks.get(i));
      }
    };
  }

  /** The series in the order given (which must be sorted by labels), each valid until next(). */
  static SeriesSet set(Series... series) {
    return set(false, series);
  }

  /** The series in the order given (which must be sorted by labels), each readable for good. */
  static SeriesSet retainedSet(Series... series) {
    return set(true, series);
  }

  private static SeriesSet set(boolean retained, Series... series) {
    return new SeriesSet() {
      private int i = -1;

      @Override
      public boolean next() {
        if (!retained && i >= 0 && series[i] instanceof ChunkedSeries c) {
          c.valid = false;
        }
        return ++i < series.length;
      }

      @Override
      public Series at() {
        return series[i];
      }
    };
  }
}
