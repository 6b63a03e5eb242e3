package dev.strata.tsdb.gocompat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Go's sort.Slice algorithm sorts whatever the input's shape. (That it leaves ties exactly where
 * Go does is checked against promtool in {@link PromtoolBlocksInteropTest}.)
 */
class GoSortTest {

  private static int[][] sortByKey(int[] keys) {
    int[] k = keys.clone();
    int[] ids = new int[k.length];
    Arrays.setAll(ids, i -> i);
    GoSort.sort(
        new GoSort.Data() {
          @Override
          public boolean less(int i, int j) {
            return k[i] < k[j];
          }

          @Override
          public void swap(int i, int j) {
            int t = k[i];
            k[i] = k[j];
            k[j] = t;
            t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
          }
        },
        k.length);
    return new int[][] {k, ids};
  }

  @Test
  void sortsEveryShape() {
    Random rnd = new Random(7);
    for (int n : new int[] {0, 1, 2, 7, 12, 13, 49, 50, 51, 100, 1000, 20_000}) {
      int[][] inputs = {
        rnd.ints(n, 0, Integer.MAX_VALUE).toArray(), // distinct mostly
        rnd.ints(n, 0, 3).toArray(), // many ties
        new int[n], // all equal
        ascending(n),
        descending(n),
        sawtooth(n),
      };
      for (int[] input : inputs) {
        int[][] sorted = sortByKey(input);
        int[] expected = input.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, sorted[0], "n=" + n);
        int[] ids = sorted[1].clone();
        Arrays.sort(ids);
        for (int i = 0; i < n; i++) {
          assertTrue(ids[i] == i, "a permutation");
          assertTrue(input[sorted[1][i]] == sorted[0][i], "keys travel with their elements");
        }
      }
    }
  }

  @Test
  void shortRangesSortStably() {
    // Up to 12 elements Go uses insertion sort, which keeps ties in input order.
    int[][] sorted = sortByKey(new int[] {3, 1, 3, 2, 1, 3, 2, 1, 3, 2, 1, 3});
    assertArrayEquals(new int[] {1, 4, 7, 10, 3, 6, 9, 0, 2, 5, 8, 11}, sorted[1]);
  }

  private static int[] ascending(int n) {
    int[] a = new int[n];
    Arrays.setAll(a, i -> i);
    return a;
  }

  private static int[] descending(int n) {
    int[] a = new int[n];
    Arrays.setAll(a, i -> n - i);
    return a;
  }

  private static int[] sawtooth(int n) {
    int[] a = new int[n];
    Arrays.setAll(a, i -> i % 17);
    return a;
  }
}
