package dev.strata.tsdb.textparse;

import dev.strata.tsdb.labels.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Label sets keyed by the exact bytes of the series text they were built from ({@code name} or
 * {@code name{...}}).
 *
 * <p>A backfill file repeats each series once per sample, so a line whose series text was seen
 * before gets the same {@link Labels} instance back without decoding, unescaping, sorting or
 * allocating. Equal bytes lex identically, so a hit also means the text is valid. Open addressing
 * over parallel arrays; when the entry or byte budget is exceeded the cache starts over, which
 * bounds memory on inputs with millions of distinct series at the cost of rebuilding some sets. Not
 * thread-safe.
 */
final class SeriesCache {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long PRIME = 0x9E3779B97F4A7C15L;
  private static final int MAX_ENTRIES = 1 << 20;
  private static final long MAX_KEY_BYTES = 128L << 20;

  private int[] slots; // entry index + 1, 0 = empty
  private int[] hashes = new int[64];
  private byte[][] keys = new byte[64][];
  private Labels[] values = new Labels[64];
  private int size;
  private long keyBytes;

  SeriesCache() {
    slots = new int[128];
  }

  /** Number of cached label sets. */
  int size() {
    return size;
  }

  /** A hash of bytes {@code [from, to)}, read eight at a time. */
  static int hash(byte[] b, int from, int to) {
    long h = (to - from) * PRIME;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      h = (h ^ (long) LONGS.get(b, i)) * PRIME;
      h ^= h >>> 29;
    }
    long tail = 0;
    for (int shift = 0; i < to; i++, shift += 8) {
      tail |= (b[i] & 0xFFL) << shift;
    }
    h = (h ^ tail) * PRIME;
    h ^= h >>> 32;
    return (int) h;
  }

  /** The label set cached for bytes {@code [from, to)} with hash {@code hash}, or null. */
  Labels get(byte[] b, int from, int to, int hash) {
    int mask = slots.length - 1;
    for (int s = hash & mask; ; s = (s + 1) & mask) {
      int e = slots[s] - 1;
      if (e < 0) {
        return null;
      }
      if (hashes[e] == hash) {
        byte[] k = keys[e];
        if (Arrays.equals(k, 0, k.length, b, from, to)) {
          return values[e];
        }
      }
    }
  }

  /** Caches {@code labels} for bytes {@code [from, to)}, which are not cached yet. */
  void put(byte[] b, int from, int to, int hash, Labels labels) {
    if (size >= MAX_ENTRIES || keyBytes + (to - from) > MAX_KEY_BYTES) {
      clear();
    }
    if (size == keys.length) {
      int n = size * 2;
      hashes = Arrays.copyOf(hashes, n);
      keys = Arrays.copyOf(keys, n);
      values = Arrays.copyOf(values, n);
    }
    if ((size + 1) * 2 > slots.length) {
      rehash(slots.length * 2);
    }
    int e = size++;
    hashes[e] = hash;
    keys[e] = Arrays.copyOfRange(b, from, to);
    values[e] = labels;
    keyBytes += to - from;
    insert(e);
  }

  private void insert(int e) {
    int mask = slots.length - 1;
    int s = hashes[e] & mask;
    while (slots[s] != 0) {
      s = (s + 1) & mask;
    }
    slots[s] = e + 1;
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    for (int e = 0; e < size; e++) {
      insert(e);
    }
  }

  private void clear() {
    Arrays.fill(slots, 0);
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
    keyBytes = 0;
  }
}
