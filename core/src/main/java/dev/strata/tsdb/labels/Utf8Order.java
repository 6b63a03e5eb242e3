package dev.strata.tsdb.labels;

import java.util.Comparator;

/**
 * Orders strings as Prometheus (Go) does: by the bytes of their UTF-8 encoding.
 *
 * <p>Label sets, postings and label-value tables in a block are sorted in that order, so Strata
 * must sort identically to read and write byte-compatible indexes. {@link String#compareTo}
 * compares UTF-16 code units instead, which disagrees for supplementary characters (stored as
 * surrogates, U+D800..U+DFFF) against characters U+E000..U+FFFF: in UTF-8 every supplementary
 * character sorts after every BMP character.
 *
 * <p>No encoding happens: at the first differing code unit, units outside the surrogate range
 * compare as they are, and otherwise both are shifted so that surrogates rank above U+E000..U+FFFF.
 * For well-formed strings this equals UTF-8 byte order; strings with unpaired surrogates get a
 * consistent total order that has no UTF-8 counterpart.
 */
public final class Utf8Order {

  /** {@link #compare} as a {@link Comparator}. */
  public static final Comparator<String> COMPARATOR = Utf8Order::compare;

  private Utf8Order() {}

  /**
   * Compares {@code a} and {@code b} by their UTF-8 bytes.
   *
   * @return negative, zero or positive as {@code a} sorts before, equal to or after {@code b}
   */
  public static int compare(String a, String b) {
    if (a == b) {
      return 0;
    }
    int la = a.length();
    int lb = b.length();
    int n = Math.min(la, lb);
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x < Character.MIN_SURROGATE && y < Character.MIN_SURROGATE) {
          return x - y;
        }
        return rank(x) - rank(y);
      }
    }
    return la - lb;
  }

  // Moves U+E000..U+FFFF down by 0x800 and surrogates up by 0x2000, so that the ranks of
  // [E000, FFFF] are [D800, F7FF] and those of surrogates [F800, FFFF].
  private static int rank(char c) {
    if (c >= 0xE000) {
      return c - 0x800;
    }
    if (c >= Character.MIN_SURROGATE) {
      return c + 0x2000;
    }
    return c;
  }
}
