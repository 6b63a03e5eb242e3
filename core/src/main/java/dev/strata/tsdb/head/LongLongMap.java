package dev.strata.tsdb.head;

import java.util.Arrays;

/**
 * A small open-addressing map from long keys to long values without boxing, for an appender's
 * per-series bookkeeping. Key {@link Long#MIN_VALUE} is reserved as "empty".
 */
final class LongLongMap {
  private static final long EMPTY = Long.MIN_VALUE;
  private long[] keys;
  private long[] values;
  private int size;

  LongLongMap() {
    keys = new long[16];
    values = new long[16];
    Arrays.fill(keys, EMPTY);
  }

  private static int hash(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** The value of {@code key}, or {@code missing}. */
  long get(long key, long missing) {
    int mask = keys.length - 1;
    for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == EMPTY) {
        return missing;
      }
    }
  }

  /**
   * The value of {@code key} if present, else {@code missing}; either way {@code key} maps to
   * {@code value} afterwards. One probe sequence instead of a get and a put.
   */
  long getAndPut(long key, long value, long missing) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        long old = values[i];
        values[i] = value;
        return old;
      }
      if (k == EMPTY) {
        keys[i] = key;
        values[i] = value;
        size++;
        return missing;
      }
    }
  }

  void put(long key, long value) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == EMPTY) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }

  /**
   * Empties the map. The table keeps its size, since the next batch is usually like the last; only
   * a table much larger than what it held is shrunk.
   */
  void clear() {
    if (keys.length > (1 << 16) && 8 * size < keys.length) {
      keys = new long[Math.max(16, Integer.highestOneBit(Math.max(1, size)) * 4)];
      values = new long[keys.length];
    }
    if (size > 0) {
      Arrays.fill(keys, EMPTY);
    }
    size = 0;
  }

  int size() {
    return size;
  }
}
