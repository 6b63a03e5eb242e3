package dev.strata.tier.store;

import dev.strata.tier.objstore.Bucket;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fetches many small ranges of one object as few ranged GETs: ranges closer than the gap
 * threshold are merged (reading a gap costs less than another request), and the merged ranges are
 * fetched in parallel.
 */
final class RangeFetcher {
  private final Bucket bucket;
  private final ExecutorService pool;
  private final long gap;
  private final LongAdder bytes;
  private final LongAdder requests;

  RangeFetcher(Bucket bucket, ExecutorService pool, long gap, LongAdder bytes, LongAdder requests) {
    this.bucket = bucket;
    this.pool = pool;
    this.gap = gap;
    this.bytes = bytes;
    this.requests = requests;
  }

  /** A range {@code [start, end)}. */
  record Range(long start, long end) {}

  /** Merges {@code ranges} (any order) whose gaps are at most {@code gap}; sorted output. */
  static List<Range> coalesce(List<Range> ranges, long gap) {
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
    List<Range> out = new ArrayList<>();
    Range cur = null;
    for (Range r : sorted) {
      if (r.end() <= r.start()) {
        continue;
      }
      if (cur != null && r.start() <= cur.end() + gap) {
        cur = new Range(cur.start(), Math.max(cur.end(), r.end()));
      } else {
        if (cur != null) {
          out.add(cur);
        }
        cur = r;
      }
    }
    if (cur != null) {
      out.add(cur);
    }
    return out;
  }

  /** Fetches {@code ranges} of {@code key} (coalesced); the segments come back in file order. */
  List<RangeCache.Segment> fetch(String key, List<Range> ranges) throws IOException {
    List<Range> merged = coalesce(ranges, gap);
    if (merged.size() == 1) {
      return List.of(one(key, merged.get(0)));
    }
    List<CompletableFuture<RangeCache.Segment>> futures = new ArrayList<>(merged.size());
    for (Range r : merged) {
      futures.add(CompletableFuture.supplyAsync(() -> {
        try {
          return one(key, r);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, pool));
    }
    List<RangeCache.Segment> out = new ArrayList<>(merged.size());
    try {
      for (CompletableFuture<RangeCache.Segment> f : futures) {
        out.add(f.join());
      }
    } catch (CompletionException e) {
      futures.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException("fetching ranges of " + key, cause);
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted while fetching " + key);
    }
    return out;
  }

  /** Counts bytes fetched outside this fetcher (streamed reads) as one request. */
  void count(long n) {
    requests.increment();
    bytes.add(n);
  }

  /** Fetches one range as it is. */
  RangeCache.Segment one(String key, Range r) throws IOException {
    long len = r.end() - r.start();
    if (len > Integer.MAX_VALUE - 16) {
      throw new IOException("range of " + len + " bytes of " + key + " is too large to fetch at once");
    }
    byte[] b = bucket.readRange(key, r.start(), (int) len);
    requests.increment();
    bytes.add(b.length);
    return new RangeCache.Segment(r.start(), b);
  }
}
