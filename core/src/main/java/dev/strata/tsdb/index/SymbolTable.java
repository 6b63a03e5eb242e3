package dev.strata.tsdb.index;

import static dev.strata.tsdb.index.IndexFormat.SAMPLE_EVERY;
import static dev.strata.tsdb.index.IndexFormat.SYMBOLS;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSource;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The symbol table of an index, read in place: the file holds the strings, memory holds the
 * position of every {@value IndexFormat#SAMPLE_EVERY}th one, and a lookup walks at most that many
 * entries from the nearest sample. A block with a million distinct label values costs 250 KiB of
 * heap this way instead of tens of megabytes of strings.
 *
 * <p>Recently looked-up strings are kept in a small direct-mapped cache, which serves most label
 * names and common values when series are decoded. The cache holds immutable entries, so threads
 * may race on it without harm.
 */
final class SymbolTable {
  private static final int CACHE_SIZE = 1 << 10;

  private final ByteSource src;
  private final long offset;
  private final long end;
  private final int count;
  // samples[i]: position of the length field of symbol i * SAMPLE_EVERY.
  private final long[] samples;
  private final Cached[] cache = new Cached[CACHE_SIZE];

  private record Cached(int ref, String value) {}

  SymbolTable(ByteSource src, long offset, long end, int count, long[] samples) {
    this.src = src;
    this.offset = offset;
    this.end = end;
    this.count = count;
    this.samples = samples;
  }

  /**
   * Reads the table whose length field is at {@code off} and which must end by {@code limit},
   * checking its CRC and that its entries fit: one pass over the strings.
   */
  static SymbolTable load(ByteSource src, long off, long limit) {
    ByteCursor c = new ByteCursor(src, SYMBOLS, 64 << 10);
    long end = Sections.open(c, off, limit, SYMBOLS);
    Sections.checkCrc(src, SYMBOLS, off + 4, end);
    if (end - c.position() < 4) {
      throw c.corrupt("length " + (end - off - 4) + " leaves no room for the symbol count");
    }
    long countAt = c.position();
    long n = c.readUnsignedBE32();
    // Every symbol takes at least its one-byte length, which bounds what we allocate.
    if (n > c.remaining()) {
      throw c.corruptAt(
          countAt, "symbol count " + n + " is more than the " + c.remaining() + " bytes of the table");
    }
    int cnt = (int) n;
    long[] samples = new long[(cnt + SAMPLE_EVERY - 1) / SAMPLE_EVERY];
    for (int i = 0; i < cnt; i++) {
      if (i % SAMPLE_EVERY == 0) {
        samples[i / SAMPLE_EVERY] = c.position();
      }
      int len = c.readUvarintLength();
      c.skip(len);
    }
    return new SymbolTable(src, off, end, cnt, samples);
  }

  /** The same table read from {@code other}, which holds the same bytes (a newer mapping). */
  SymbolTable rebase(ByteSource other) {
    return new SymbolTable(other, offset, end, count, samples);
  }

  int count() {
    return count;
  }

  /** Offset of the CRC. */
  long end() {
    return end;
  }

  /** Heap held for lookups, in bytes (the samples; the cache is bounded and not counted). */
  long sampleBytes() {
    return (long) samples.length * Long.BYTES;
  }

  /**
   * Points {@code c} at {@code pos} within the table, keeping the cursor's window when it already
   * covers the table: symbol cursors are ranged over the whole table once and then only moved, so
   * nearby lookups do not copy the same bytes again.
   */
  private void seek(ByteCursor c, long pos) {
    if (c.end() != end || !SYMBOLS.equals(c.section())) {
      c.range(offset + 8, end, SYMBOLS);
    }
    c.position(pos);
  }

  /** Position of the length field of symbol {@code ref} (0 &lt;= ref &lt; count). */
  long position(int ref, ByteCursor c) {
    seek(c, samples[ref / SAMPLE_EVERY]);
    for (int i = ref % SAMPLE_EVERY; i > 0; i--) {
      c.skip(c.readUvarintLength());
    }
    return c.position();
  }

  /** Symbol {@code ref}, which the caller has checked is below {@link #count()}. */
  String lookup(int ref, Scratch s) {
    int slot = ref & (CACHE_SIZE - 1);
    Cached hit = cache[slot];
    if (hit != null && hit.ref == ref) {
      return hit.value;
    }
    ByteCursor c = s.symbols;
    position(ref, c);
    String value = readString(c, s);
    cache[slot] = new Cached(ref, value);
    return value;
  }

  /** The string at the cursor: a uvarint length and UTF-8 bytes. */
  static String readString(ByteCursor c, Scratch s) {
    int len = c.readUvarintLength();
    if (len == 0) {
      return "";
    }
    if (len > c.remaining()) {
      throw c.corrupt("string of " + len + " bytes runs past offset " + c.end());
    }
    byte[] b = s.bytes(len);
    c.readBytes(b, 0, len);
    return new String(b, 0, len, StandardCharsets.UTF_8);
  }

  /** The ref of {@code symbol}, or -1 if the table does not hold it. */
  int find(String symbol, Scratch s) {
    if (count == 0) {
      return -1;
    }
    s.setTarget(symbol);
    ByteCursor c = s.symbols;
    // Last sample <= target.
    int lo = 0;
    int hi = samples.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      seek(c, samples[mid]);
      if (compareNext(c, s) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    seek(c, samples[lo]);
    int last = Math.min(count, (lo + 1) * SAMPLE_EVERY);
    for (int ref = lo * SAMPLE_EVERY; ref < last; ref++) {
      int cmp = compareNext(c, s);
      if (cmp == 0) {
        return ref;
      }
      if (cmp > 0) {
        return -1;
      }
    }
    return -1;
  }

  // Reads the next symbol and compares its bytes with target, unsigned as Go compares strings.
  private static int compareNext(ByteCursor c, Scratch s) {
    int len = c.readUvarintLength();
    if (len > c.remaining()) {
      throw c.corrupt("symbol of " + len + " bytes runs past offset " + c.end());
    }
    byte[] b = s.bytes(len);
    c.readBytes(b, 0, len);
    return s.compareWithTarget(b, len);
  }

  /** Calls {@code consumer} with every symbol in order. */
  void forEach(Consumer<String> consumer, Scratch s) {
    ByteCursor c = new ByteCursor(src, SYMBOLS, 64 << 10);
    c.range(offset + 8, end, SYMBOLS);
    for (int i = 0; i < count; i++) {
      consumer.accept(readString(c, s));
    }
  }

  /**
   * Checks what loading does not: that the symbols are strictly ascending in byte order and fill
   * the table exactly.
   */
  void verifyOrder() {
    ByteCursor c = new ByteCursor(src, SYMBOLS, 64 << 10);
    c.range(offset + 8, end, SYMBOLS);
    byte[] prev = new byte[64];
    byte[] cur = new byte[64];
    int prevLen = -1;
    for (int i = 0; i < count; i++) {
      long at = c.position();
      int len = c.readUvarintLength();
      if (len > c.remaining()) {
        throw c.corruptAt(at, "symbol " + i + " of " + len + " bytes runs past offset " + end);
      }
      if (cur.length < len) {
        cur = new byte[Math.max(len, cur.length * 2)];
      }
      c.readBytes(cur, 0, len);
      if (prevLen >= 0 && Arrays.compareUnsigned(prev, 0, prevLen, cur, 0, len) >= 0) {
        throw c.corruptAt(at, "symbol " + i + " is not greater than symbol " + (i - 1));
      }
      byte[] t = prev;
      prev = cur;
      cur = t;
      prevLen = len;
    }
    if (c.hasRemaining()) {
      throw c.corrupt(c.remaining() + " bytes follow the last of " + count + " symbols");
    }
  }
}
