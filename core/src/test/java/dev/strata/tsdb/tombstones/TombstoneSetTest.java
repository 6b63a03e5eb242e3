package dev.strata.tsdb.tombstones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Checks lookups against a brute-force scan of the deletions that went in. */
class TombstoneSetTest {

  /** A deletion: series reference and closed interval. */
  record Stone(long ref, long min, long max) {}

  @Provide
  static Arbitrary<List<Stone>> stones() {
    // Few distinct references, so series collect several intervals; some beyond 2^63 (negative
    // as Java longs) to exercise unsigned ordering.
    Arbitrary<Long> refs =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 40),
            Arbitraries.of(-1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40));
    Arbitrary<Stone> stone =
        Combinators.combine(
                refs, Arbitraries.longs().between(-30, 200), Arbitraries.longs().between(0, 25))
            .as((ref, min, len) -> new Stone(ref, min, min + len));
    return stone.list().ofMaxSize(60);
  }

  static TombstoneSet build(List<Stone> stones) {
    TombstoneSet.Builder b = TombstoneSet.builder();
    for (Stone s : stones) {
      b.add(s.ref(), s.min(), s.max());
    }
    return b.build();
  }

  static boolean bruteForce(List<Stone> stones, long ref, long t) {
    for (Stone s : stones) {
      if (s.ref() == ref && s.min() <= t && t <= s.max()) {
        return true;
      }
    }
    return false;
  }

  @Property(tries = 300)
  void isDeletedAgreesWithBruteForce(@ForAll("stones") List<Stone> stones) {
    TombstoneSet set = build(stones);
    List<Long> refs = new ArrayList<>(List.of(-2L, 41L, 7L));
    stones.forEach(s -> refs.add(s.ref()));
    for (long ref : refs) {
      for (long t = -35; t <= 230; t++) {
        assertEquals(bruteForce(stones, ref, t), set.isDeleted(ref, t), ref + "@" + t);
        assertEquals(set.isDeleted(ref, t), set.get(ref).contains(t));
      }
    }
  }

  @Property(tries = 300)
  void groupsByReferenceInUnsignedOrderAndCountsIntervals(@ForAll("stones") List<Stone> stones) {
    TombstoneSet set = build(stones);
    TreeMap<Long, List<Interval>> byRef = new TreeMap<>(Long::compareUnsigned);
    for (Stone s : stones) {
      byRef.computeIfAbsent(s.ref(), r -> new ArrayList<>()).add(new Interval(s.min(), s.max()));
    }
    assertEquals(byRef.size(), set.seriesCount());
    assertEquals(byRef.isEmpty(), set.isEmpty());
    long total = 0;
    int i = 0;
    for (Map.Entry<Long, List<Interval>> e : byRef.entrySet()) {
      Intervals expected = Intervals.of(e.getValue());
      assertEquals(e.getKey(), set.ref(i));
      assertEquals(expected, set.intervals(i));
      assertEquals(expected, set.get(e.getKey()));
      total += expected.size();
      i++;
    }
    assertEquals(total, set.total());
    List<Long> seen = new ArrayList<>();
    set.forEach((ref, intervals) -> seen.add(ref));
    assertEquals(new ArrayList<>(byRef.keySet()), seen);
  }

  @Property(tries = 200)
  void orderOfAddingDoesNotMatter(@ForAll("stones") List<Stone> stones, @ForAll long seed) {
    List<Stone> shuffled = new ArrayList<>(stones);
    Collections.shuffle(shuffled, new Random(seed));
    TombstoneSet a = build(stones);
    TombstoneSet b = build(shuffled);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(a, a.toBuilder().build());
    int half = stones.size() / 2;
    assertEquals(
        a,
        build(stones.subList(0, half)).toBuilder()
            .addAll(build(stones.subList(half, stones.size())))
            .build());
  }

  @Test
  void emptySetDeletesNothing() {
    assertSame(TombstoneSet.EMPTY, TombstoneSet.builder().build());
    assertFalse(TombstoneSet.EMPTY.isDeleted(0, 0));
    assertEquals(Intervals.EMPTY, TombstoneSet.EMPTY.get(3));
    assertEquals(0, TombstoneSet.EMPTY.total());
    assertTrue(TombstoneSet.EMPTY.isEmpty());
  }

  @Test
  void rejectsReversedIntervals() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TombstoneSet.builder().add(-1, 9, 8));
    assertTrue(e.getMessage().contains("18446744073709551615"), e.getMessage());
  }
}
