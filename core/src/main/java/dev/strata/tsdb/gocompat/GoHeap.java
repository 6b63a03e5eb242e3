package dev.strata.tsdb.gocompat;

/**
 * Go's {@code container/heap} over an array of ints whose order a {@link GoSort.Data} defines: the
 * same sift-up and sift-down steps, so that elements comparing equal end up where Go leaves them.
 * Prometheus's {@code topk} and {@code bottomk} pick among equal values by this order.
 */
public final class GoHeap {
  private GoHeap() {}

  /** {@code heap.Push}: {@code data}'s element {@code n} was appended; restores the heap of n + 1. */
  public static void up(GoSort.Data data, int j) {
    while (true) {
      int i = (j - 1) / 2; // parent; Go's division truncates, so 0 is its own parent
      if (i == j || !data.less(j, i)) {
        break;
      }
      data.swap(i, j);
      j = i;
    }
  }

  /**
   * {@code heap.Pop} up to the removal: swaps the top with element {@code n - 1} and restores the
   * heap of the first {@code n - 1}; the caller then drops element {@code n - 1}.
   */
  public static void popToEnd(GoSort.Data data, int n) {
    data.swap(0, n - 1);
    down(data, 0, n - 1);
  }

  private static void down(GoSort.Data data, int i, int n) {
    while (true) {
      int j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) {
        break;
      }
      int j = j1; // left child
      int j2 = j1 + 1;
      if (j2 < n && data.less(j2, j1)) {
        j = j2;
      }
      if (!data.less(j, i)) {
        break;
      }
      data.swap(i, j);
      i = j;
    }
  }
}
