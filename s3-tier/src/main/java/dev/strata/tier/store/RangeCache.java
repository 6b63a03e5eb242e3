package dev.strata.tier.store;

import dev.strata.tsdb.block.Ulid;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * Byte ranges of index files held in memory up to a byte limit, least recently used first out.
 * An entry is keyed by block ULID, file and offset and holds its exact bytes (its length is part of
 * the entry), and a lookup returns an entry only if it covers the whole range asked for, so a hit
 * is always the right bytes of the right file of the right block.
 *
 * <p>Entries of a compressing cache are LZ4-compressed when that saves at least a quarter of their
 * size (postings and series entries usually do). Chunk files are cached apart, as pages ({@link
 * ChunkPageCache}): compressed already, and read far more often. Thread-safe.
 */
final class RangeCache {
  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
  private static final LZ4FastDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().fastDecompressor();
  private static final int COMPRESS_MIN = 64;
  // Per-entry overhead counted against the limit: keys, map nodes, array headers.
  private static final int ENTRY_OVERHEAD = 96;

  record Key(long high, long low, int file, long offset) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = Long.compareUnsigned(high, o.high);
      if (c == 0) {
        c = Long.compareUnsigned(low, o.low);
      }
      if (c == 0) {
        c = Integer.compare(file, o.file);
      }
      return c != 0 ? c : Long.compare(offset, o.offset);
    }
  }

  private static final class Entry {
    final Key key;
    final int length;
    final byte[] data;
    final boolean compressed;

    Entry(Key key, int length, byte[] data, boolean compressed) {
      this.key = key;
      this.length = length;
      this.data = data;
      this.compressed = compressed;
    }

    long cost() {
      return (long) data.length + ENTRY_OVERHEAD;
    }
  }

  /** Bytes of one cached range; {@code offset} is where they start in the file. */
  record Segment(long offset, byte[] bytes) {
    boolean covers(long pos, int len) {
      return pos >= offset && pos + len <= offset + bytes.length;
    }
  }

  private final String name;
  private final long maxBytes;
  private final TreeMap<Key, Entry> byPosition = new TreeMap<>();
  private final LinkedHashMap<Key, Entry> lru = new LinkedHashMap<>(16, 0.75f, true);
  private long used;
  private long hits;
  private long misses;
  private long evictions;
  private long rawBytes;

  RangeCache(String name, long maxBytes) {
    this.name = name;
    this.maxBytes = maxBytes;
  }

  String name() {
    return name;
  }

  /** The cached range of {@code file} of block {@code id} that covers {@code [pos, pos + len)}. */
  Segment get(Ulid id, int file, long pos, int len) {
    Entry e;
    synchronized (this) {
      Map.Entry<Key, Entry> floor = byPosition.floorEntry(new Key(id.high(), id.low(), file, pos));
      e = floor == null ? null : floor.getValue();
      if (e == null || e.key.high != id.high() || e.key.low != id.low() || e.key.file != file
          || pos + len > e.key.offset + e.length) {
        misses++;
        return null;
      }
      hits++;
      lru.get(e.key); // touch
    }
    byte[] bytes = e.compressed ? DECOMPRESSOR.decompress(e.data, e.length) : e.data;
    return new Segment(e.key.offset, bytes);
  }

  /**
   * The cached range of {@code file} of block {@code id} that starts exactly at {@code pos}: what a
   * reader of whole items (series entries, chunks, each cached at its own offset) asks for, in
   * one hash lookup instead of a search.
   */
  Segment getAt(Ulid id, int file, long pos) {
    Entry e;
    synchronized (this) {
      e = lru.get(new Key(id.high(), id.low(), file, pos)); // touches it
      if (e == null) {
        misses++;
        return null;
      }
      hits++;
    }
    return new Segment(e.key.offset, e.compressed ? DECOMPRESSOR.decompress(e.data, e.length) : e.data);
  }

  /** Caches {@code bytes} as the content of {@code file} at {@code offset}; too large: ignored. */
  void put(Ulid id, int file, long offset, byte[] bytes) {
    if (maxBytes <= 0 || bytes.length + ENTRY_OVERHEAD > maxBytes / 4) {
      return; // one entry may not crowd out the rest
    }
    Key key = new Key(id.high(), id.low(), file, offset);
    Entry e = encode(key, bytes);
    synchronized (this) {
      Entry old = byPosition.put(e.key, e);
      if (old != null) {
        lru.remove(old.key);
        used -= old.cost();
        rawBytes -= old.length;
      }
      lru.put(e.key, e);
      used += e.cost();
      rawBytes += e.length;
      Iterator<Entry> it = lru.values().iterator();
      while (used > maxBytes && it.hasNext()) {
        Entry victim = it.next();
        it.remove();
        byPosition.remove(victim.key);
        used -= victim.cost();
        rawBytes -= victim.length;
        evictions++;
      }
    }
  }

  private static Entry encode(Key key, byte[] bytes) {
    if (bytes.length >= COMPRESS_MIN) {
      byte[] out = new byte[COMPRESSOR.maxCompressedLength(bytes.length)];
      int n = COMPRESSOR.compress(bytes, 0, bytes.length, out, 0);
      if (n <= bytes.length * 3L / 4) {
        return new Entry(key, bytes.length, java.util.Arrays.copyOf(out, n), true);
      }
    }
    return new Entry(key, bytes.length, bytes.clone(), false);
  }

  /** Figures for reports. */
  record Stats(String name, long entries, long usedBytes, long rawBytes, long hits, long misses,
      long evictions) {}

  synchronized Stats stats() {
    return new Stats(name, lru.size(), used, rawBytes, hits, misses, evictions);
  }

  synchronized void clear() {
    byPosition.clear();
    lru.clear();
    used = 0;
    rawBytes = 0;
  }
}
