package dev.strata.tsdb.labels;

import dev.strata.tsdb.labels.RegexNode.CharClass;
import java.util.Arrays;

/**
 * Collects the items of one RE2 character class: exact code point ranges, kept sorted and merged so
 * that small classes can be enumerated, plus Java property fragments for Unicode classes, which are
 * left to Java rather than expanded.
 */
final class CharClassBuilder {

  private int[] ranges = new int[0];
  private final StringBuilder javaExtra = new StringBuilder();

  void add(int[] r, boolean negated) {
    ranges = union(ranges, negated ? complement(r) : r);
  }

  void addJava(String fragment) {
    javaExtra.append(fragment);
  }

  CharClass build(boolean negated, boolean fold) {
    StringBuilder java = new StringBuilder("[");
    if (negated) {
      java.append('^');
    }
    for (int i = 0; i < ranges.length; i += 2) {
      RegexNode.appendCodePoint(java, ranges[i]);
      if (ranges[i + 1] != ranges[i]) {
        java.append('-');
        RegexNode.appendCodePoint(java, ranges[i + 1]);
      }
    }
    java.append(javaExtra);
    if (ranges.length == 0 && javaExtra.length() == 0) {
      java.append("\\x{0}&&[^\\x{0}]"); // cannot happen for parsed classes; keep Java valid
    }
    java.append(']');
    int[] exact = null;
    if (javaExtra.length() == 0) {
      exact = negated ? complement(ranges) : ranges;
    }
    return new CharClass(java.toString(), fold, exact);
  }

  // Sorted, disjoint, non-adjacent union of two sorted range lists.
  private static int[] union(int[] a, int[] b) {
    int[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    int n = all.length / 2;
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      packed[i] = (long) all[2 * i] << 32 | all[2 * i + 1];
    }
    Arrays.sort(packed);
    int[] out = new int[all.length];
    int k = 0;
    for (long p : packed) {
      int lo = (int) (p >>> 32);
      int hi = (int) p;
      if (k > 0 && lo <= out[k - 1] + 1) {
        out[k - 1] = Math.max(out[k - 1], hi);
      } else {
        out[k++] = lo;
        out[k++] = hi;
      }
    }
    return Arrays.copyOf(out, k);
  }

  private static int[] complement(int[] sorted) {
    int[] r = union(new int[0], sorted);
    int[] out = new int[r.length + 2];
    int k = 0;
    int next = 0;
    for (int i = 0; i < r.length; i += 2) {
      if (r[i] > next) {
        out[k++] = next;
        out[k++] = r[i] - 1;
      }
      next = r[i + 1] + 1;
    }
    if (next <= Character.MAX_CODE_POINT) {
      out[k++] = next;
      out[k++] = Character.MAX_CODE_POINT;
    }
    return Arrays.copyOf(out, k);
  }
}
