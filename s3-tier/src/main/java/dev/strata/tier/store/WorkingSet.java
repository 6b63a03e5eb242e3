package dev.strata.tier.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes one query has fetched or taken from the caches, uncompressed, by file and offset: the
 * index reader and the chunk reader read from here, so a range fetched (or decompressed) once
 * serves every read inside it. Bounded by the query's batch, then cleared. Not thread-safe.
 */
final class WorkingSet {
  /** One file's segments by offset, and the longest of them: how far back a cover may start. */
  private static final class FileSegments {
    final TreeMap<Long, byte[]> byOffset = new TreeMap<>();
    int longest;
  }

  private final Map<Integer, FileSegments> files = new TreeMap<>();
  private long bytes;

  /**
   * The segment of {@code file} covering {@code [pos, pos + len)}, or null if none does. Segments
   * may overlap (a range fetched whole holds items also added on their own, from the caches), so
   * the one starting last at or before {@code pos} may end too early while one starting before it
   * covers: every segment that starts close enough to reach {@code pos + len} is tried, nearest
   * first.
   */
  RangeCache.Segment find(int file, long pos, int len) {
    FileSegments f = files.get(file);
    if (f == null) {
      return null;
    }
    long earliest = pos + len - f.longest;
    for (Map.Entry<Long, byte[]> e = f.byOffset.floorEntry(pos);
        e != null && e.getKey() >= earliest; e = f.byOffset.lowerEntry(e.getKey())) {
      if (pos + len <= e.getKey() + e.getValue().length) {
        return new RangeCache.Segment(e.getKey(), e.getValue());
      }
    }
    return null;
  }

  /** The segment of {@code file} starting exactly at {@code pos}, or null: one lookup. */
  RangeCache.Segment at(int file, long pos) {
    FileSegments f = files.get(file);
    byte[] b = f == null ? null : f.byOffset.get(pos);
    return b == null ? null : new RangeCache.Segment(pos, b);
  }

  /** Adds {@code s}; a segment already at its offset is replaced, unless it is the longer. */
  void add(int file, RangeCache.Segment s) {
    FileSegments f = files.computeIfAbsent(file, k -> new FileSegments());
    byte[] old = f.byOffset.get(s.offset());
    if (old != null && old.length >= s.bytes().length) {
      return;
    }
    f.byOffset.put(s.offset(), s.bytes());
    f.longest = Math.max(f.longest, s.bytes().length);
    bytes += s.bytes().length - (old == null ? 0 : old.length);
  }

  long bytes() {
    return bytes;
  }

  void clear() {
    files.clear();
    bytes = 0;
  }
}
