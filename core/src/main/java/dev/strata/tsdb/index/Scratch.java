package dev.strata.tsdb.index;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSource;

/**
 * Per-thread decoding state of a reader: cursors over the file and a byte buffer for strings, so
 * that decoding a series or looking up a symbol allocates nothing but the strings it returns.
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

  Scratch(ByteSource src) {
    cursor = new ByteCursor(src, IndexFormat.SERIES, WINDOW);
    symbols = new ByteCursor(src, IndexFormat.SYMBOLS, WINDOW);
  }

  /** A buffer of at least {@code n} bytes; the caller has checked {@code n} against its range. */
  byte[] bytes(int n) {
    if (bytes.length < n) {
      bytes = new byte[Math.max(n, bytes.length * 2)];
    }
    return bytes;
  }
}
