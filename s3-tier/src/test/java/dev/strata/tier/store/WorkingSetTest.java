package dev.strata.tier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class WorkingSetTest {

  /**
   * A query's working set holds ranges fetched whole (many chunks in one GET) and, inside them,
   * single chunks taken from the cache at their own offsets. A chunk of the fetched range that
   * lies after many cached ones must still be found in the range: when it was not, the store
   * fetched it again on its own, on every query.
   */
  @Test
  void findsARangeFetchedWholeBehindManyItemsAddedInsideIt() {
    WorkingSet ws = new WorkingSet();
    ws.add(1, new RangeCache.Segment(0, new byte[10_000]));
    for (long off = 100; off < 9_000; off += 100) {
      ws.add(1, new RangeCache.Segment(off, new byte[40]));
    }
    RangeCache.Segment s = ws.find(1, 9_050, 500);
    assertNotNull(s);
    assertEquals(0, s.offset());
    assertEquals(10_000, s.bytes().length);
    // An item covers what lies inside it, the range what lies between the items.
    assertEquals(4_200, ws.find(1, 4_210, 20).offset());
    assertEquals(0, ws.find(1, 4_250, 20).offset());
  }

  @Test
  void findsNothingWhereNoSegmentCoversTheWholeRange() {
    WorkingSet ws = new WorkingSet();
    ws.add(1, new RangeCache.Segment(0, new byte[1_000]));
    ws.add(1, new RangeCache.Segment(2_000, new byte[100]));
    assertNull(ws.find(1, 900, 200));
    assertNull(ws.find(1, 1_500, 1));
    assertNull(ws.find(2, 10, 1));
    assertNotNull(ws.find(1, 2_050, 50));
  }

  @Test
  void aShorterSegmentAtTheSameOffsetDoesNotReplaceALongerOne() {
    WorkingSet ws = new WorkingSet();
    ws.add(1, new RangeCache.Segment(100, new byte[1_000]));
    ws.add(1, new RangeCache.Segment(100, new byte[40]));
    assertEquals(1_000, ws.at(1, 100).bytes().length);
    assertEquals(1_000, ws.bytes());
    ws.add(1, new RangeCache.Segment(100, new byte[2_000]));
    assertEquals(2_000, ws.at(1, 100).bytes().length);
    assertEquals(2_000, ws.bytes());
  }

  /**
   * Adds and lookups in any order (the ordered view is brought up to date lazily) answer as a
   * plain list of the segments would: {@code at} the longest segment at an offset, {@code find}
   * the covering segment that starts last (the longest among those starting there).
   */
  @Property(tries = 300)
  void answersAsAListOfTheSegmentsWould(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 5_000) Integer> offsets,
      @ForAll @Size(max = 60) List<@IntRange(min = 1, max = 700) Integer> lengths,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 6_000) Integer> probes) {
    WorkingSet ws = new WorkingSet();
    List<RangeCache.Segment> added = new ArrayList<>();
    int steps = Math.max(offsets.size(), probes.size());
    for (int i = 0; i < steps; i++) {
      if (i < offsets.size()) {
        int file = offsets.get(i) % 3;
        RangeCache.Segment s = new RangeCache.Segment(offsets.get(i),
            new byte[lengths.isEmpty() ? 1 : lengths.get(i % lengths.size())]);
        ws.add(file, s);
        added.add(new RangeCache.Segment(file * 1_000_000L + s.offset(), s.bytes()));
      }
      if (i < probes.size()) {
        int pos = probes.get(i);
        int len = 1 + pos % 200;
        // An offset added before (when there is one): exact lookups that hit.
        int exact = offsets.isEmpty() ? pos : offsets.get(pos % Math.min(offsets.size(), i + 1));
        for (int file = 0; file < 3; file++) {
          assertEquals(expectedAt(added, file, pos), length(ws.at(file, pos)), "at " + pos);
          assertEquals(expectedAt(added, file, exact), length(ws.at(file, exact)), "at " + exact);
          RangeCache.Segment want = expectedFind(added, file, pos, len);
          RangeCache.Segment got = ws.find(file, pos, len);
          assertEquals(want == null ? null : want.offset() - file * 1_000_000L,
              got == null ? null : got.offset(), "find " + pos + "+" + len);
          assertEquals(length(want), length(got));
        }
      }
    }
  }

  private static Integer length(RangeCache.Segment s) {
    return s == null ? null : s.bytes().length;
  }

  private static Integer expectedAt(List<RangeCache.Segment> added, int file, long pos) {
    Integer longest = null;
    for (RangeCache.Segment s : added) {
      if (s.offset() == file * 1_000_000L + pos && (longest == null || s.bytes().length > longest)) {
        longest = s.bytes().length;
      }
    }
    return longest;
  }

  private static RangeCache.Segment expectedFind(List<RangeCache.Segment> added, int file, long pos,
      int len) {
    RangeCache.Segment best = null;
    long at = file * 1_000_000L + pos;
    for (RangeCache.Segment s : added) {
      if (s.offset() >= file * 1_000_000L && s.covers(at, len) && (best == null
          || s.offset() > best.offset()
          || s.offset() == best.offset() && s.bytes().length > best.bytes().length)) {
        best = s;
      }
    }
    return best;
  }
}
