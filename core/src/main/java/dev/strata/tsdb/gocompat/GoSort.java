package dev.strata.tsdb.gocompat;

/**
 * The element order of Go's {@code sort.Slice} and {@code sort.Sort} as of Go 1.19, which built
 * Prometheus 2.42: a pattern-defeating quicksort, not stable. promtool's {@code tsdb analyze} ranks
 * entries with it and PromQL's {@code topk}/{@code bottomk} order their results with it, so equal
 * values come out in the order this algorithm leaves them, and reproducing
 * that order takes the same sequence of comparisons and swaps, which this class performs: insertion
 * sort for short ranges, the same pivot choices (median of three, Tukey's ninther from 50
 * elements), the same partitioning, pattern breaking with the same xorshift sequence, and heapsort
 * once too many partitions were unbalanced.
 */
public final class GoSort {

  /** The slice being sorted, by index. */
  public interface Data {
    boolean less(int i, int j);

    void swap(int i, int j);
  }

  private static final int INSERTION_MAX = 12;
  private static final int NINTHER_MIN = 50;
  private static final int MAX_SWAPS = 4 * 3;
  private static final int PARTIAL_MAX_STEPS = 5;
  private static final int PARTIAL_SHORTEST_SHIFTING = 50;

  private enum Hint { UNKNOWN, INCREASING, DECREASING }

  private GoSort() {}

  /** Sorts elements {@code [0, n)} of {@code data} as {@code sort.Slice} would. */
  public static void sort(Data data, int n) {
    pdqsort(data, 0, n, bitLength(n));
  }

  private static int bitLength(int n) {
    return 32 - Integer.numberOfLeadingZeros(n);
  }

  private static void pdqsort(Data data, int a, int b, int limit) {
    boolean wasBalanced = true;
    boolean wasPartitioned = true;
    while (true) {
      int length = b - a;
      if (length <= INSERTION_MAX) {
        insertionSort(data, a, b);
        return;
      }
      if (limit == 0) {
        heapSort(data, a, b);
        return;
      }
      if (!wasBalanced) {
        breakPatterns(data, a, b);
        limit--;
      }
      int[] choice = choosePivot(data, a, b);
      int pivot = choice[0];
      Hint hint = Hint.values()[choice[1]];
      if (hint == Hint.DECREASING) {
        reverseRange(data, a, b);
        pivot = (b - 1) - (pivot - a);
        hint = Hint.INCREASING;
      }
      if (wasBalanced && wasPartitioned && hint == Hint.INCREASING
          && partialInsertionSort(data, a, b)) {
        return;
      }
      if (a > 0 && !data.less(a - 1, pivot)) {
        a = partitionEqual(data, a, b, pivot);
        continue;
      }
      int[] split = partition(data, a, b, pivot);
      int mid = split[0];
      wasPartitioned = split[1] != 0;
      int leftLength = mid - a;
      int rightLength = b - mid;
      int balanceThreshold = length / 8;
      if (leftLength < rightLength) {
        wasBalanced = leftLength >= balanceThreshold;
        pdqsort(data, a, mid, limit);
        a = mid + 1;
      } else {
        wasBalanced = rightLength >= balanceThreshold;
        pdqsort(data, mid + 1, b, limit);
        b = mid;
      }
    }
  }

  private static void insertionSort(Data data, int a, int b) {
    for (int i = a + 1; i < b; i++) {
      for (int j = i; j > a && data.less(j, j - 1); j--) {
        data.swap(j, j - 1);
      }
    }
  }

  private static void heapSort(Data data, int a, int b) {
    int first = a;
    int hi = b - a;
    for (int i = (hi - 1) / 2; i >= 0; i--) {
      siftDown(data, i, hi, first);
    }
    for (int i = hi - 1; i >= 0; i--) {
      data.swap(first, first + i);
      siftDown(data, 0, i, first);
    }
  }

  private static void siftDown(Data data, int lo, int hi, int first) {
    int root = lo;
    while (true) {
      int child = 2 * root + 1;
      if (child >= hi) {
        return;
      }
      if (child + 1 < hi && data.less(first + child, first + child + 1)) {
        child++;
      }
      if (!data.less(first + root, first + child)) {
        return;
      }
      data.swap(first + root, first + child);
      root = child;
    }
  }

  // Returns {new pivot position, 1 if the range was already partitioned else 0}.
  private static int[] partition(Data data, int a, int b, int pivot) {
    data.swap(a, pivot);
    int i = a + 1;
    int j = b - 1;
    while (i <= j && data.less(i, a)) {
      i++;
    }
    while (i <= j && !data.less(j, a)) {
      j--;
    }
    if (i > j) {
      data.swap(j, a);
      return new int[] {j, 1};
    }
    data.swap(i, j);
    i++;
    j--;
    while (true) {
      while (i <= j && data.less(i, a)) {
        i++;
      }
      while (i <= j && !data.less(j, a)) {
        j--;
      }
      if (i > j) {
        break;
      }
      data.swap(i, j);
      i++;
      j--;
    }
    data.swap(j, a);
    return new int[] {j, 0};
  }

  // Moves elements equal to the pivot to the front; the range holds nothing smaller.
  private static int partitionEqual(Data data, int a, int b, int pivot) {
    data.swap(a, pivot);
    int i = a + 1;
    int j = b - 1;
    while (true) {
      while (i <= j && !data.less(a, i)) {
        i++;
      }
      while (i <= j && data.less(a, j)) {
        j--;
      }
      if (i > j) {
        return i;
      }
      data.swap(i, j);
      i++;
      j--;
    }
  }

  private static boolean partialInsertionSort(Data data, int a, int b) {
    int i = a + 1;
    for (int step = 0; step < PARTIAL_MAX_STEPS; step++) {
      while (i < b && !data.less(i, i - 1)) {
        i++;
      }
      if (i == b) {
        return true;
      }
      if (b - a < PARTIAL_SHORTEST_SHIFTING) {
        return false;
      }
      data.swap(i, i - 1);
      if (i - a >= 2) {
        for (int j = i - 1; j >= 1; j--) {
          if (!data.less(j, j - 1)) {
            break;
          }
          data.swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (int j = i + 1; j < b; j++) {
          if (!data.less(j, j - 1)) {
            break;
          }
          data.swap(j, j - 1);
        }
      }
    }
    return false;
  }

  private static void breakPatterns(Data data, int a, int b) {
    int length = b - a;
    if (length < 8) {
      return;
    }
    long random = length; // xorshift state, seeded with the length
    long modulus = 1L << bitLength(length);
    for (int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
      random ^= random << 13;
      random ^= random >>> 17;
      random ^= random << 5;
      int other = (int) (random & (modulus - 1));
      if (other >= length) {
        other -= length;
      }
      data.swap(idx, a + other);
    }
  }

  // Returns {pivot, hint ordinal}.
  private static int[] choosePivot(Data data, int a, int b) {
    int l = b - a;
    int[] swaps = {0};
    int i = a + l / 4;
    int j = a + l / 4 * 2;
    int k = a + l / 4 * 3;
    if (l >= 8) {
      if (l >= NINTHER_MIN) {
        i = median(data, i - 1, i, i + 1, swaps);
        j = median(data, j - 1, j, j + 1, swaps);
        k = median(data, k - 1, k, k + 1, swaps);
      }
      j = median(data, i, j, k, swaps);
    }
    Hint hint =
        swaps[0] == 0 ? Hint.INCREASING : swaps[0] == MAX_SWAPS ? Hint.DECREASING : Hint.UNKNOWN;
    return new int[] {j, hint.ordinal()};
  }

  // The index among a, b, c holding the median, counting the swaps a sorting network would make.
  private static int median(Data data, int a, int b, int c, int[] swaps) {
    if (data.less(b, a)) {
      swaps[0]++;
      int t = a;
      a = b;
      b = t;
    }
    if (data.less(c, b)) {
      swaps[0]++;
      int t = b;
      b = c;
      c = t;
    }
    if (data.less(b, a)) {
      swaps[0]++;
      int t = a;
      a = b;
      b = t;
    }
    return b;
  }

  private static void reverseRange(Data data, int a, int b) {
    for (int i = a, j = b - 1; i < j; i++, j--) {
      data.swap(i, j);
    }
  }
}
