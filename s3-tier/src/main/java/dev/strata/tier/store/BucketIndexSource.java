package dev.strata.tier.store;

import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.encoding.ByteSource;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The index of a block in a bucket as a {@link ByteSource} for Strata's index reader: reads of the
 * symbol table, postings offset table and TOC are served from the local {@link IndexHeader};
 * everything else from the calling query's {@link WorkingSet}, then the caches, and at last by a
 * ranged GET sized to what is being read (a whole postings list, or a series entry's estimated
 * size), so that the reader's small reads do not each become a request.
 */
final class BucketIndexSource implements ByteSource {
  static final int INDEX_FILE = 0;

  private final Ulid id;
  private final String key;
  private final IndexHeader header;
  private final BucketCaches caches;
  private final RangeFetcher fetcher;
  private final long seriesEstimate;
  private final ThreadLocal<WorkingSet> bound = new ThreadLocal<>();

  BucketIndexSource(Ulid id, String key, IndexHeader header, BucketCaches caches,
      RangeFetcher fetcher, long seriesEstimate) {
    this.id = id;
    this.key = key;
    this.header = header;
    this.caches = caches;
    this.fetcher = fetcher;
    this.seriesEstimate = seriesEstimate;
  }

  /** Makes the calling thread's reads go through {@code ws} until the returned scope closes. */
  Scope bind(WorkingSet ws) {
    WorkingSet prev = bound.get();
    bound.set(ws);
    return () -> {
      if (prev == null) {
        bound.remove();
      } else {
        bound.set(prev);
      }
    };
  }

  /** A binding to undo. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  @Override
  public long length() {
    return header.indexLength();
  }

  @Override
  public String description() {
    return key;
  }

  /**
   * What to fetch and cache for the postings list starting at {@code listStart}: the list, and at
   * least as many bytes as the index reader's first read of a list takes (it reads a window from
   * the list's start that may run into the next list).
   */
  RangeFetcher.Range postingsRange(long listStart) {
    long[] ext = header.listExtent(listStart);
    long end = Math.max(ext[1], Math.min(header.toc.labelOffsetTable(), ext[0] + READ_AHEAD));
    return new RangeFetcher.Range(ext[0], end);
  }

  /** The index reader's window for entries and list heads (its scratch cursor's). */
  static final int READ_AHEAD = 512;

  boolean inPostings(long pos) {
    return pos >= header.toc.postings() && pos < header.toc.labelOffsetTable();
  }

  boolean inSeries(long pos) {
    return pos >= header.toc.series() && pos < header.toc.labelIndices();
  }

  @Override
  public void read(long position, byte[] dst, int dstOffset, int len) {
    if (position < 0 || len < 0 || position + len > header.indexLength()) {
      throw new IndexOutOfBoundsException("[" + position + ", " + (position + len) + ") is outside "
          + key + " (length " + header.indexLength() + ")");
    }
    if (header.covers(position, len)) {
      header.read(position, dst, dstOffset, len);
      return;
    }
    RangeCache.Segment s = segment(position, len);
    System.arraycopy(s.bytes(), (int) (position - s.offset()), dst, dstOffset, len);
  }

  private RangeCache.Segment segment(long pos, int len) {
    WorkingSet ws = bound.get();
    if (ws != null) {
      RangeCache.Segment s = ws.find(INDEX_FILE, pos, len);
      if (s != null) {
        return s;
      }
    }
    RangeCache cache = inPostings(pos) ? caches.postings() : inSeries(pos) ? caches.series() : null;
    RangeCache.Segment s = cache == null ? null : cache.get(id, INDEX_FILE, pos, len);
    if (s == null) {
      s = fetch(pos, len, cache);
    }
    if (ws != null) {
      ws.add(INDEX_FILE, s);
    }
    return s;
  }

  // Not prefetched: fetch what the read belongs to.
  private RangeCache.Segment fetch(long pos, int len, RangeCache cache) {
    long start = pos;
    long end = pos + len;
    if (inPostings(pos)) {
      RangeFetcher.Range list = postingsRange(header.listExtent(pos)[0]);
      // A whole list if it is small; long lists a megabyte at a time from where the read is.
      if (list.end() - list.start() <= (1 << 20) && end <= list.end()) {
        start = list.start();
        end = list.end();
      } else {
        end = Math.max(end, Math.min(header.toc.labelOffsetTable(), pos + (1 << 20)));
      }
    } else if (inSeries(pos)) {
      end = Math.max(end, Math.min(header.toc.labelIndices(), pos + seriesEstimate));
    }
    try {
      RangeCache.Segment s = fetcher.one(key, new RangeFetcher.Range(start, end));
      if (cache == caches.postings() && postingsRange(start).equals(new RangeFetcher.Range(start, end))) {
        cache.put(id, INDEX_FILE, s.offset(), s.bytes());
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key + " from the bucket", e);
    }
  }
}
