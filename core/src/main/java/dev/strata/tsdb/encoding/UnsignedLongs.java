package dev.strata.tsdb.encoding;

/**
 * Arrays of 64-bit values that the formats order as unsigned numbers (series references, packed
 * keys), where {@link java.util.Arrays#binarySearch(long[], long)}'s signed order would be wrong.
 */
public final class UnsignedLongs {
  private UnsignedLongs() {}

  /** Index of {@code key} in {@code a[from, to)}, ascending as unsigned numbers; -1 if absent. */
  public static int indexOf(long[] a, int from, int to, long key) {
    int lo = from;
    int hi = to - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Long.compareUnsigned(a[mid], key);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }
}
