package dev.strata.tier.store;

import java.util.List;

/**
 * The in-memory caches of bucket reads, shared by all blocks of a store: postings lists, series
 * entries and chunks, each with its own byte limit. Postings and series entries are cached as the
 * items they are ({@link RangeCache}), chunk segment files as fixed pages ({@link ChunkPageCache}).
 */
public final class BucketCaches {
  private final RangeCache postings;
  private final RangeCache series;
  private final ChunkPageCache chunks;

  private BucketCaches(long postingsBytes, long seriesBytes, long chunkBytes) {
    this.postings = new RangeCache("postings", postingsBytes);
    this.series = new RangeCache("series", seriesBytes);
    this.chunks = new ChunkPageCache("chunks", chunkBytes);
  }

  /** Caches of the given sizes in bytes; 0 disables one. */
  public static BucketCaches of(long postingsBytes, long seriesBytes, long chunkBytes) {
    return new BucketCaches(postingsBytes, seriesBytes, chunkBytes);
  }

  /** 64 MiB for postings, 64 MiB for series, 256 MiB for chunks. */
  public static BucketCaches defaults() {
    return of(64L << 20, 64L << 20, 256L << 20);
  }

  /** No caching: every query fetches what it reads. */
  public static BucketCaches none() {
    return of(0, 0, 0);
  }

  RangeCache postings() {
    return postings;
  }

  RangeCache series() {
    return series;
  }

  ChunkPageCache chunks() {
    return chunks;
  }

  /** Empties all three. */
  public void clear() {
    postings.clear();
    series.clear();
    chunks.clear();
  }

  /**
   * One line per cache: entries (pages for chunks), bytes held (compressed) and raw, hits,
   * misses, evictions.
   */
  public List<String> describe() {
    return List.of(postings.stats().toString(), series.stats().toString(), chunks.stats().toString());
  }

  /** What one cache holds and how it has done, for metrics. */
  public record CacheStats(String name, long entries, long bytes, long hits, long misses,
      long evictions) {}

  /** The three caches' figures: postings, series, chunks. */
  public List<CacheStats> stats() {
    List<CacheStats> out = new java.util.ArrayList<>(3);
    for (RangeCache.Stats s : List.of(postings.stats(), series.stats(), chunks.stats())) {
      out.add(new CacheStats(s.name(), s.entries(), s.usedBytes(), s.hits(), s.misses(),
          s.evictions()));
    }
    return out;
  }

  /** Hits of all three caches. */
  public long hits() {
    return postings.stats().hits() + series.stats().hits() + chunks.stats().hits();
  }
}
