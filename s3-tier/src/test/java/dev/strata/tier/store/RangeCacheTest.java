package dev.strata.tier.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.Ulid;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RangeCacheTest {
  static final Ulid A = Ulid.of(1000, 1, 1);
  static final Ulid B = Ulid.of(1000, 1, 2);

  // The "file" content at (block, file, offset): deterministic, different everywhere.
  static byte content(Ulid id, int file, long pos) {
    long x = id.low() * 0x9E3779B97F4A7C15L + file * 31L + pos * 0xBF58476D1CE4E5B9L;
    return (byte) (x ^ (x >>> 29));
  }

  static byte[] bytes(Ulid id, int file, long offset, int len, boolean compressible) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = compressible ? (byte) ((offset + i) / 64) : content(id, file, offset + i);
    }
    return b;
  }

  @Property(tries = 200)
  void neverReturnsWrongBytes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 64) int limitKiB) {
    RangeCache cache = new RangeCache("test", limitKiB * 1024L);
    Random r = new Random(seed);
    Map<String, Boolean> compressible = new HashMap<>();
    for (int step = 0; step < 300; step++) {
      Ulid id = r.nextBoolean() ? A : B;
      int file = r.nextInt(3);
      long offset = r.nextInt(20_000);
      boolean comp = compressible.computeIfAbsent(id + "/" + file, k -> r.nextBoolean());
      if (r.nextInt(3) == 0) {
        int len = 1 + r.nextInt(3000);
        cache.put(id, file, offset, bytes(id, file, offset, len, comp));
      } else {
        int len = 1 + r.nextInt(200);
        RangeCache.Segment s = cache.get(id, file, offset, len);
        if (s != null) {
          assertTrue(s.covers(offset, len));
          assertArrayEquals(bytes(id, file, s.offset(), s.bytes().length, comp), s.bytes(),
              "bytes of " + id + "/" + file + " at " + s.offset());
        }
      }
      RangeCache.Stats st = cache.stats();
      assertTrue(st.usedBytes() <= limitKiB * 1024L, st.toString());
    }
  }

  @Test
  void keysSeparateBlocksAndFiles() {
    RangeCache cache = new RangeCache("test", 1 << 20);
    cache.put(A, 0, 100, bytes(A, 0, 100, 50, false));
    assertNull(cache.get(B, 0, 100, 10));
    assertNull(cache.get(A, 1, 100, 10));
    assertNull(cache.get(A, 0, 99, 10));
    assertNull(cache.get(A, 0, 140, 11), "past the end of the entry");
    RangeCache.Segment s = cache.get(A, 0, 140, 10);
    assertEquals(100, s.offset());
    assertArrayEquals(bytes(A, 0, 100, 50, false), s.bytes());
  }

  @Test
  void compressesWhereItPaysAndEvictsLeastRecentlyUsed() {
    RangeCache cache = new RangeCache("test", 40_000);
    byte[] repetitive = new byte[8000];
    Arrays.fill(repetitive, (byte) 7);
    cache.put(A, 0, 0, repetitive);
    RangeCache.Stats st = cache.stats();
    assertTrue(st.usedBytes() < 1000, "compressed: " + st);
    assertEquals(8000, st.rawBytes());
    cache.put(A, 1, 0, bytes(A, 1, 0, 9000, false));
    cache.put(A, 1, 10_000, bytes(A, 1, 10_000, 9000, false));
    cache.get(A, 1, 0, 1); // touch the first
    cache.put(A, 1, 20_000, bytes(A, 1, 20_000, 9000, false));
    cache.put(A, 1, 30_000, bytes(A, 1, 30_000, 9000, false));
    cache.put(A, 1, 40_000, bytes(A, 1, 40_000, 9000, false));
    assertTrue(cache.get(A, 1, 0, 1) != null, "recently used entry stays");
    assertNull(cache.get(A, 1, 10_000, 1), "least recently used entry went");
    assertTrue(cache.stats().evictions() > 0);
    cache.put(A, 2, 0, new byte[20_000]); // more than a quarter of the limit: not cached
    assertNull(cache.get(A, 2, 0, 1));
  }
}
