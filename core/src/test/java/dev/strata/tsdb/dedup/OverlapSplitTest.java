package dev.strata.tsdb.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OverlapSplitTest {

  private static int[] runs(OverlapSplit split, long[][] chunks) {
    long[] min = new long[chunks.length];
    long[] max = new long[chunks.length];
    for (int i = 0; i < chunks.length; i++) {
      min[i] = chunks[i][0];
      max[i] = chunks[i][1];
    }
    int n = split.split(min, max, chunks.length);
    int[] out = new int[chunks.length + 1];
    out[0] = n;
    for (int i = 0; i < chunks.length; i++) {
      out[i + 1] = split.runOf(i);
    }
    return out;
  }

  @Test
  void eachChunkGoesToTheFirstRunThatEndedBeforeIt() {
    long[][] chunks = {{0, 10}, {5, 15}, {11, 20}, {16, 25}, {12, 13}, {26, 30}};
    // {0,10} opens run 0; {5,15} overlaps it: run 1; {11,20} follows run 0; {16,25} overlaps run 0
    // (ends at 20) and follows run 1; {12,13} overlaps both: run 2; {26,30} follows run 0 again.
    assertArrayEquals(new int[] {3, 0, 1, 0, 1, 2, 0}, runs(new OverlapSplit(), chunks));
  }

  @Test
  void chunksSharingATimestampOverlap() {
    assertArrayEquals(
        new int[] {2, 0, 1}, runs(new OverlapSplit(), new long[][] {{0, 10}, {10, 20}}));
    assertArrayEquals(
        new int[] {1, 0, 0}, runs(new OverlapSplit(), new long[][] {{0, 10}, {11, 20}}));
  }

  @Test
  void noChunksNoRuns() {
    assertEquals(0, new OverlapSplit().split(new long[0], new long[0], 0));
  }

  @Test
  void twoReplicasConcatenatedSplitBackIntoTwo() {
    // Replica 1 cut chunks at 0, 120s, 240s; replica 2 a little later. Sorted by first timestamp.
    long[][] chunks = {
      {0, 119_000},
      {3_000, 122_000},
      {120_000, 239_000},
      {123_000, 242_000},
      {240_000, 300_000},
      {243_000, 303_000}
    };
    OverlapSplit split = new OverlapSplit();
    assertArrayEquals(new int[] {2, 0, 1, 0, 1, 0, 1}, runs(split, chunks));
    // Reused for a series with more chunks than its arrays had room for.
    long[][] many = new long[40][];
    for (int i = 0; i < many.length; i++) {
      many[i] = new long[] {i * 10L, i * 10L + 25};
    }
    int[] r = runs(split, many);
    assertEquals(3, r[0]);
    for (int i = 0; i < many.length; i++) {
      assertEquals(i % 3, r[i + 1]);
    }
  }
}
