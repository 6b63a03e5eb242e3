package dev.strata.tier.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes one query has fetched or taken from the caches, uncompressed, by file and offset: the
 * index reader and the chunk reader read from here, so a range fetched (or decompressed) once
 * serves every read inside it. Bounded by the query's batch, then cleared. Not thread-safe.
 */
final class WorkingSet {
  private final Map<Integer, TreeMap<Long, byte[]>> files = new TreeMap<>();
  private long bytes;

  /** The segment of {@code file} covering {@code [pos, pos + len)}, or null. */
  RangeCache.Segment find(int file, long pos, int len) {
    TreeMap<Long, byte[]> m = files.get(file);
    if (m == null) {
      return null;
    }
    // The segment starting last at or before pos usually covers it; overlapping segments are
    // possible, so look back a few.
    int tries = 0;
    for (Map.Entry<Long, byte[]> e = m.floorEntry(pos); e != null && tries < 4;
        e = m.lowerEntry(e.getKey()), tries++) {
      if (pos + len <= e.getKey() + e.getValue().length) {
        return new RangeCache.Segment(e.getKey(), e.getValue());
      }
    }
    return null;
  }

  /** The segment of {@code file} starting exactly at {@code pos}, or null: one lookup. */
  RangeCache.Segment at(int file, long pos) {
    TreeMap<Long, byte[]> m = files.get(file);
    byte[] b = m == null ? null : m.get(pos);
    return b == null ? null : new RangeCache.Segment(pos, b);
  }

  void add(int file, RangeCache.Segment s) {
    byte[] old = files.computeIfAbsent(file, f -> new TreeMap<>()).put(s.offset(), s.bytes());
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
