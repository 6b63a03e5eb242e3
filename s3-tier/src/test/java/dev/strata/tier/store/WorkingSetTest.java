package dev.strata.tier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
