package dev.strata.tsdb.index;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSource;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The writer's map from a label name or value to its symbol ref, kept off the strings: an
 * open-addressing table of refs keyed by {@link String#hashCode()}, the hash and file position of
 * each symbol, and the symbol bytes themselves in the (mapped) symbol table. 16 bytes per symbol at
 * most, against some 80 for a {@code HashMap<String, Integer>} holding the strings, and a lookup is
 * one or two probes instead of the binary search of a {@link SymbolTable}, which matters because
 * the writer looks up every label of every series.
 */
final class SymbolHashIndex {
  private int[] hashes = new int[1024];
  // Offset of each symbol's length field from the start of the table content.
  private int[] offsets = new int[1024];
  private int count;
  private int[] table; // ref + 1 per slot, 0 for empty; built by freeze()
  private ByteSource src;
  private long base;

  /** Records symbol {@code count} at {@code offset} bytes into the table content. */
  void add(String symbol, long offset) {
    if (count == hashes.length) {
      int n = count * 2;
      hashes = Arrays.copyOf(hashes, n);
      offsets = Arrays.copyOf(offsets, n);
    }
    hashes[count] = symbol.hashCode();
    offsets[count] = (int) offset; // the table content is below 4 GiB, so this is unsigned exact
    count++;
  }

  /** Builds the table once all symbols are written; they are read back from {@code base} on. */
  void freeze(ByteSource src, long base) {
    this.src = src;
    this.base = base;
    int cap = Integer.highestOneBit(Math.max(4, count) * 2 - 1) << 1; // load factor <= 1/2
    table = new int[cap];
    int mask = cap - 1;
    for (int ref = 0; ref < count; ref++) {
      int slot = mix(hashes[ref]) & mask;
      while (table[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      table[slot] = ref + 1;
    }
  }

  /** The ref of {@code symbol}, or -1 if it was never added. */
  int find(String symbol, ByteCursor c, Scratch s) {
    int h = symbol.hashCode();
    int mask = table.length - 1;
    for (int slot = mix(h) & mask; ; slot = (slot + 1) & mask) {
      int ref = table[slot] - 1;
      if (ref < 0) {
        return -1;
      }
      if (hashes[ref] == h && bytesEqual(ref, symbol, c, s)) {
        return ref;
      }
    }
  }

  private boolean bytesEqual(int ref, String symbol, ByteCursor c, Scratch s) {
    c.position(base + Integer.toUnsignedLong(offsets[ref]));
    int len = c.readUvarintLength();
    byte[] b = s.bytes(len);
    c.readBytes(b, 0, len);
    return utf8Equals(b, len, symbol);
  }

  /** Whether {@code b[0, len)} is the UTF-8 encoding of {@code s}; no allocation for ASCII. */
  static boolean utf8Equals(byte[] b, int len, String s) {
    int n = s.length();
    if (len < n) {
      return false; // UTF-8 never takes fewer bytes than UTF-16 code units
    }
    int i = 0;
    for (; i < n && i < len; i++) {
      int x = b[i];
      if (x < 0) {
        break;
      }
      if (x != s.charAt(i)) {
        return false;
      }
    }
    if (i == n) {
      return len == n;
    }
    return new String(b, 0, len, StandardCharsets.UTF_8).equals(s);
  }

  // Spreads String.hashCode, whose low bits are weak for short strings.
  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
