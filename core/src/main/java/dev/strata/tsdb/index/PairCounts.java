package dev.strata.tsdb.index;

import java.util.Arrays;

/**
 * How many series carry each label pair, keyed by {@code nameRef << 32 | valueRef}: the one
 * structure the writer keeps per distinct pair. Once the series are in, {@link #sortedKeys()} lists
 * the pairs in the order their postings lists go into the file (by name, then value, because
 * symbol refs follow string order), and the counts size every list in advance, so postings can be
 * laid out without holding them all.
 */
final class PairCounts {
  private static final long EMPTY = -1L; // refs are below 2^32 - 1, so no pair packs to this

  private long[] keys;
  private int[] counts;
  private long[] sums; // per pair, a sum of numbers added with the count; null unless asked for
  private int size;
  private int mask;

  PairCounts() {
    this(false);
  }

  /** With {@code withSums}, each pair also accumulates a sum (see {@link #add}). */
  PairCounts(boolean withSums) {
    keys = new long[1 << 10];
    Arrays.fill(keys, EMPTY);
    counts = new int[keys.length];
    sums = withSums ? new long[keys.length] : null;
    mask = keys.length - 1;
  }

  static long key(int nameRef, int valueRef) {
    return ((long) nameRef << 32) | Integer.toUnsignedLong(valueRef);
  }

  static int nameRef(long key) {
    return (int) (key >>> 32);
  }

  static int valueRef(long key) {
    return (int) key;
  }

  /** Counts one more series with the pair. */
  void increment(long key) {
    int slot = find(key); // before touching the arrays: finding may replace them
    counts[slot]++;
  }

  /** Counts one more series with the pair and adds {@code value} to its sum. */
  void add(long key, long value) {
    int slot = find(key);
    counts[slot]++;
    sums[slot] += value;
  }

  // The slot of key, inserted with a zero count if absent; may grow the table first.
  private int find(long key) {
    if (size + 1 > keys.length - (keys.length >>> 2)) { // load factor 3/4
      grow();
    }
    int slot = slot(key);
    for (long k; (k = keys[slot]) != EMPTY; slot = (slot + 1) & mask) {
      if (k == key) {
        return slot;
      }
    }
    keys[slot] = key;
    size++;
    return slot;
  }

  /** The sum of the values added with the pair, 0 if none. */
  long sum(long key) {
    for (int slot = slot(key); keys[slot] != EMPTY; slot = (slot + 1) & mask) {
      if (keys[slot] == key) {
        return sums[slot];
      }
    }
    return 0;
  }

  /** Series with the pair, 0 if none. */
  int get(long key) {
    for (int slot = slot(key); keys[slot] != EMPTY; slot = (slot + 1) & mask) {
      if (keys[slot] == key) {
        return counts[slot];
      }
    }
    return 0;
  }

  int size() {
    return size;
  }

  /** The pairs in file order: ascending as unsigned numbers. */
  long[] sortedKeys() {
    long[] out = new long[size];
    int n = 0;
    for (long k : keys) {
      if (k != EMPTY) {
        out[n++] = k ^ Long.MIN_VALUE; // signed order of the flipped keys is unsigned order
      }
    }
    Arrays.sort(out);
    for (int i = 0; i < n; i++) {
      out[i] ^= Long.MIN_VALUE;
    }
    return out;
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldCounts = counts;
    long[] oldSums = sums;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    counts = new int[keys.length];
    sums = oldSums == null ? null : new long[keys.length];
    mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      long k = oldKeys[i];
      if (k != EMPTY) {
        int slot = slot(k);
        while (keys[slot] != EMPTY) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = k;
        counts[slot] = oldCounts[i];
        if (sums != null) {
          sums[slot] = oldSums[i];
        }
      }
    }
  }
}
