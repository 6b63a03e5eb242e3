package dev.strata.tier.store;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes one query has fetched or taken from the caches, uncompressed, by file and offset: the
 * index reader and the chunk reader read from here, so a range fetched (or decompressed) once
 * serves every read inside it. Bounded by the query's batch, then cleared. Not thread-safe.
 *
 * <p>A warm query adds every chunk it reads and looks each up again at its own offset, tens of
 * thousands of times a call; those exact lookups go to a hash table of primitive offsets. The
 * ordered map that {@link #find} searches is brought up to date only when a search needs it.
 */
final class WorkingSet {
  /** One file's segments by offset, and the longest of them: how far back a cover may start. */
  private static final class FileSegments {
    final OffsetTable exact = new OffsetTable();
    final TreeMap<Long, byte[]> byOffset = new TreeMap<>();
    long[] unsorted = new long[16]; // offsets added since the last search, not yet in byOffset
    int unsortedCount;
    int longest;

    /** Moves the offsets added since the last search into the ordered map. */
    TreeMap<Long, byte[]> sorted() {
      for (int i = 0; i < unsortedCount; i++) {
        long offset = unsorted[i];
        byOffset.put(offset, exact.get(offset)); // the longest at that offset
      }
      unsortedCount = 0;
      return byOffset;
    }

    void added(long offset) {
      if (unsortedCount == unsorted.length) {
        unsorted = Arrays.copyOf(unsorted, unsorted.length * 2);
      }
      unsorted[unsortedCount++] = offset;
    }
  }

  private FileSegments[] files = new FileSegments[0]; // by file number: few, and small
  private long bytes;

  /**
   * The segment of {@code file} covering {@code [pos, pos + len)}, or null if none does. Segments
   * may overlap (a range fetched whole holds items also added on their own, from the caches), so
   * the one starting last at or before {@code pos} may end too early while one starting before it
   * covers: every segment that starts close enough to reach {@code pos + len} is tried, nearest
   * first.
   */
  RangeCache.Segment find(int file, long pos, int len) {
    FileSegments f = segments(file);
    if (f == null) {
      return null;
    }
    TreeMap<Long, byte[]> byOffset = f.sorted();
    long earliest = pos + len - f.longest;
    for (Map.Entry<Long, byte[]> e = byOffset.floorEntry(pos);
        e != null && e.getKey() >= earliest; e = byOffset.lowerEntry(e.getKey())) {
      if (pos + len <= e.getKey() + e.getValue().length) {
        return new RangeCache.Segment(e.getKey(), e.getValue());
      }
    }
    return null;
  }

  /** The segment of {@code file} starting exactly at {@code pos}, or null: one lookup. */
  RangeCache.Segment at(int file, long pos) {
    FileSegments f = segments(file);
    byte[] b = f == null ? null : f.exact.get(pos);
    return b == null ? null : new RangeCache.Segment(pos, b);
  }

  /** Adds {@code s}; a segment already at its offset is replaced, unless it is the longer. */
  void add(int file, RangeCache.Segment s) {
    if (file >= files.length) {
      files = Arrays.copyOf(files, file + 1);
    }
    FileSegments f = files[file];
    if (f == null) {
      f = files[file] = new FileSegments();
    }
    byte[] old = f.exact.get(s.offset());
    if (old != null && old.length >= s.bytes().length) {
      return;
    }
    f.exact.put(s.offset(), s.bytes());
    f.added(s.offset());
    f.longest = Math.max(f.longest, s.bytes().length);
    bytes += s.bytes().length - (old == null ? 0 : old.length);
  }

  long bytes() {
    return bytes;
  }

  void clear() {
    files = new FileSegments[0];
    bytes = 0;
  }

  private FileSegments segments(int file) {
    return file >= 0 && file < files.length ? files[file] : null;
  }

  /** Byte arrays by file offset (not negative), open addressing, without boxing. */
  static final class OffsetTable {
    private static final long EMPTY = -1;
    private long[] keys = newKeys(64);
    private byte[][] values = new byte[64][];
    private int size;

    private static long[] newKeys(int n) {
      long[] k = new long[n];
      Arrays.fill(k, EMPTY);
      return k;
    }

    private static int slot(long offset, int mask) {
      long h = offset * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32)) & mask;
    }

    byte[] get(long offset) {
      int mask = keys.length - 1;
      for (int i = slot(offset, mask); ; i = (i + 1) & mask) {
        long k = keys[i];
        if (k == offset) {
          return values[i];
        }
        if (k == EMPTY) {
          return null;
        }
      }
    }

    void put(long offset, byte[] value) {
      if (offset < 0) {
        throw new IllegalArgumentException("negative file offset " + offset);
      }
      if (2 * (size + 1) > keys.length) {
        grow();
      }
      int mask = keys.length - 1;
      for (int i = slot(offset, mask); ; i = (i + 1) & mask) {
        long k = keys[i];
        if (k == offset) {
          values[i] = value;
          return;
        }
        if (k == EMPTY) {
          keys[i] = offset;
          values[i] = value;
          size++;
          return;
        }
      }
    }

    /** Empties the table, keeping its capacity. */
    void clear() {
      if (size > 0) {
        Arrays.fill(keys, EMPTY);
        Arrays.fill(values, null);
        size = 0;
      }
    }

    private void grow() {
      long[] oldKeys = keys;
      byte[][] oldValues = values;
      keys = newKeys(oldKeys.length * 2);
      values = new byte[oldKeys.length * 2][];
      size = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != EMPTY) {
          put(oldKeys[i], oldValues[i]);
        }
      }
    }
  }
}
