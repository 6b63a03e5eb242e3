package dev.strata.tsdb.index;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.encoding.Utf8;
import java.util.Arrays;

/**
 * Per-thread decoding state of a reader: cursors over the file and a byte buffer for strings, so
 * that decoding a series allocates nothing but the strings it returns, and looking up a symbol or
 * a postings list nothing at all.
 */
final class Scratch {
  // Small windows: entries are read at random positions and are mostly short, and each refill
  // copies a whole window.
  private static final int WINDOW = 512;

  /** For series entries and postings offset table entries. */
  final ByteCursor cursor;
  /** For symbol lookups, which may happen while {@link #cursor} is in the middle of an entry. */
  final ByteCursor symbols;
  private byte[] bytes = new byte[256];
  private byte[] target = new byte[64];
  private int targetLength;

  Scratch(ByteSource src) {
    cursor = new ByteCursor(src, IndexFormat.SERIES, WINDOW);
    symbols = new ByteCursor(src, IndexFormat.SYMBOLS, WINDOW);
  }

  /**
   * Encodes {@code s} as the lookup target, in a buffer apart from {@link #bytes}, which holds what
   * is read to compare with it.
   */
  void setTarget(String s) {
    int n = Utf8.length(s);
    if (target.length < n) {
      target = new byte[Math.max(n, target.length * 2)];
    }
    targetLength = Utf8.encode(s, target);
  }

  /** Compares {@code b[0, len)} with the target, unsigned byte by byte as Go compares strings. */
  int compareWithTarget(byte[] b, int len) {
    return Arrays.compareUnsigned(b, 0, len, target, 0, targetLength);
  }

  /** A buffer of at least {@code n} bytes; the caller has checked {@code n} against its range. */
  byte[] bytes(int n) {
    if (bytes.length < n) {
      bytes = new byte[Math.max(n, bytes.length * 2)];
    }
    return bytes;
  }
}
