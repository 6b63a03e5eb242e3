package dev.strata.tsdb.tombstones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Checks merging against a model that marks every deleted timestamp of a small window: the merged
 * intervals must be exactly the maximal runs of marked timestamps. The window is placed at zero and
 * at both ends of the 64-bit range, where computing a neighbour ({@code t - 1}, {@code t + 1})
 * overflows.
 */
class IntervalsTest {

  static final int WIDTH = 120;

  @Provide
  Arbitrary<Long> offsets() {
    return Arbitraries.of(-60L, Long.MIN_VALUE, Long.MAX_VALUE - (WIDTH - 1), 1_700_000_000_000L);
  }

  /** Intervals as pairs of positions within the window. */
  @Provide
  Arbitrary<List<int[]>> windowIntervals() {
    Arbitrary<int[]> one =
        Combinators.combine(
                Arbitraries.integers().between(0, WIDTH - 1), Arbitraries.integers().between(0, 12))
            .as((start, len) -> new int[] {start, Math.min(WIDTH - 1, start + len)});
    return one.list().ofMaxSize(25);
  }

  static boolean[] mark(List<int[]> intervals) {
    boolean[] deleted = new boolean[WIDTH];
    for (int[] iv : intervals) {
      for (int k = iv[0]; k <= iv[1]; k++) {
        deleted[k] = true;
      }
    }
    return deleted;
  }

  static List<Interval> runs(boolean[] deleted, long offset) {
    List<Interval> runs = new ArrayList<>();
    for (int k = 0; k < WIDTH; k++) {
      if (deleted[k] && (k == 0 || !deleted[k - 1])) {
        int end = k;
        while (end + 1 < WIDTH && deleted[end + 1]) {
          end++;
        }
        runs.add(new Interval(offset + k, offset + end));
      }
    }
    return runs;
  }

  static List<Interval> toIntervals(List<int[]> pairs, long offset) {
    List<Interval> out = new ArrayList<>();
    for (int[] p : pairs) {
      out.add(new Interval(offset + p[0], offset + p[1]));
    }
    return out;
  }

  @Property(tries = 400)
  void mergedIntervalsAreTheMaximalRunsOfDeletedTimestamps(
      @ForAll("windowIntervals") List<int[]> pairs, @ForAll("offsets") long offset) {
    boolean[] deleted = mark(pairs);
    List<Interval> expected = runs(deleted, offset);
    List<Interval> input = toIntervals(pairs, offset);

    Intervals all = Intervals.of(input);
    assertEquals(expected, all.asList());

    Intervals oneByOne = Intervals.EMPTY;
    for (Interval iv : input) {
      oneByOne = oneByOne.add(iv);
    }
    assertEquals(all, oneByOne);

    int half = input.size() / 2;
    assertEquals(
        all,
        Intervals.of(input.subList(0, half))
            .union(Intervals.of(input.subList(half, input.size()))));

    for (int k = 0; k < WIDTH; k++) {
      assertEquals(deleted[k], all.contains(offset + k), "timestamp at " + k);
    }
    if (offset != Long.MIN_VALUE) {
      assertFalse(all.contains(offset - 1));
    }
    if (offset != Long.MAX_VALUE - (WIDTH - 1)) {
      assertFalse(all.contains(offset + WIDTH));
    }
  }

  @Property(tries = 300)
  void coversMeansEveryTimestampOfTheRangeIsDeleted(
      @ForAll("windowIntervals") List<int[]> pairs,
      @ForAll("offsets") long offset,
      @ForAll("windowIntervals") List<int[]> queries) {
    boolean[] deleted = mark(pairs);
    Intervals all = Intervals.of(toIntervals(pairs, offset));
    for (int[] q : queries) {
      boolean every = true;
      for (int k = q[0]; k <= q[1]; k++) {
        every &= deleted[k];
      }
      assertEquals(every, all.covers(offset + q[0], offset + q[1]), q[0] + ".." + q[1]);
    }
  }

  @Test
  void touchingIntervalsMergeAsInPrometheus() {
    assertEquals(
        List.of(new Interval(1, 9)), Intervals.of(new Interval(1, 5), new Interval(6, 9)).asList());
    assertEquals(
        List.of(new Interval(1, 5), new Interval(7, 9)),
        Intervals.of(new Interval(7, 9), new Interval(1, 5)).asList());
    assertEquals(
        List.of(new Interval(1, 20)),
        Intervals.of(new Interval(1, 3), new Interval(10, 12), new Interval(5, 8))
            .add(new Interval(2, 20))
            .asList());
    assertEquals(
        List.of(new Interval(0, 0), new Interval(5, 30)),
        Intervals.of(new Interval(10, 20), new Interval(0, 0)).add(5, 30).asList());
  }

  @Test
  void extremeBoundsMergeWithoutOverflow() {
    long min = Long.MIN_VALUE;
    long max = Long.MAX_VALUE;
    assertEquals(
        List.of(new Interval(min, max)),
        Intervals.of(new Interval(min, 5), new Interval(6, max)).asList());
    assertEquals(
        List.of(new Interval(10, max)), Intervals.of(new Interval(10, max)).add(max, max).asList());
    assertEquals(
        List.of(new Interval(min, min), new Interval(max, max)),
        Intervals.of(new Interval(max, max), new Interval(min, min)).asList());
    assertEquals(
        List.of(new Interval(min, min + 1)),
        Intervals.EMPTY.add(min + 1, min + 1).add(min, min).asList());
    Intervals everything = Intervals.EMPTY.add(min, max);
    assertTrue(everything.contains(min) && everything.contains(0) && everything.contains(max));
    assertTrue(everything.covers(min, max));
  }

  @Test
  void rejectsReversedIntervals() {
    assertThrows(IllegalArgumentException.class, () -> new Interval(5, 4));
    assertThrows(IllegalArgumentException.class, () -> Intervals.EMPTY.add(5, 4));
    assertTrue(new Interval(4, 4).contains(4));
  }

  @Test
  void sortsLargeUnorderedInputs() {
    List<Interval> input = new ArrayList<>();
    for (int i = 99; i >= 0; i--) {
      input.add(new Interval(i * 10L, i * 10L + 3));
    }
    Intervals all = Intervals.of(input);
    assertEquals(100, all.size());
    for (int i = 0; i < 100; i++) {
      assertEquals(new Interval(i * 10L, i * 10L + 3), all.get(i));
    }
    assertThrows(IndexOutOfBoundsException.class, () -> all.get(100));
  }
}
