package dev.strata.tsdb.index;

import static dev.strata.tsdb.index.IndexFormat.POSTINGS_TABLE;
import static dev.strata.tsdb.index.IndexFormat.POSTINGS_TABLE_KEYS;
import static dev.strata.tsdb.index.IndexFormat.SAMPLE_EVERY;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.labels.Utf8Order;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The postings offset table, read in place: memory holds every label name, its value count and
 * every {@value IndexFormat#SAMPLE_EVERY}th of its values with the position of its entry; finding a
 * value is a binary search over the samples and a walk of at most that many entries, and listing
 * the values of a name walks its entries, which are contiguous and sorted.
 *
 * <p>Loading checks the table's CRC, that every entry has the two keys of a label pair, that names
 * and values ascend strictly (lookups rely on it), and that every offset points into the postings
 * section.
 */
final class PostingsTable {
  private final ByteSource src;
  private final long end; // offset of the CRC
  private final String[] names; // ascending, "" (all postings) first if present
  private final long[] firstEntry;
  private final int[] valueCount;
  private final int[] sampleStart; // samples of name i: [sampleStart[i], sampleStart[i + 1])
  private final String[] sampleValues;
  private final long[] samplePos;

  /** Receives entries of a walk; returns false to stop it. */
  interface Visitor {
    boolean visit(String value, long postingsOffset);
  }

  private PostingsTable(
      ByteSource src, long end, String[] names, long[] firstEntry, int[] valueCount,
      int[] sampleStart, String[] sampleValues, long[] samplePos) {
    this.src = src;
    this.end = end;
    this.names = names;
    this.firstEntry = firstEntry;
    this.valueCount = valueCount;
    this.sampleStart = sampleStart;
    this.sampleValues = sampleValues;
    this.samplePos = samplePos;
  }

  /**
   * Loads the table whose length field is at {@code off}, ending by {@code limit}; postings lists
   * must start in {@code [postingsStart, postingsEnd)}.
   */
  static PostingsTable load(
      ByteSource src, long off, long limit, long postingsStart, long postingsEnd) {
    ByteCursor c = new ByteCursor(src, POSTINGS_TABLE, 64 << 10);
    long end = Sections.open(c, off, limit, POSTINGS_TABLE);
    Sections.checkCrc(src, POSTINGS_TABLE, off + 4, end);
    if (c.remaining() < 4) {
      throw c.corrupt("length " + (end - off - 4) + " leaves no room for the entry count");
    }
    long countAt = c.position();
    long n = c.readUnsignedBE32();
    if (n > c.remaining() / 4) { // an entry takes at least four bytes
      throw c.corruptAt(countAt, "entry count " + n + " does not fit in " + c.remaining() + " bytes");
    }
    List<String> names = new ArrayList<>();
    long[] first = new long[16];
    int[] counts = new int[16];
    List<Integer> sampleStarts = new ArrayList<>();
    List<String> sampleValues = new ArrayList<>();
    long[] samplePos = new long[16];
    byte[] name = new byte[64];
    int nameLen = -1;
    byte[] value = new byte[64];
    int valueLen = -1;
    byte[] next = new byte[64];
    int valueIndex = 0;
    for (long e = 0; e < n; e++) {
      long at = c.position();
      long keys = c.readUvarint();
      if (keys != POSTINGS_TABLE_KEYS) {
        throw c.corruptAt(
            at, "entry " + e + " has " + Long.toUnsignedString(keys) + " keys instead of "
                + POSTINGS_TABLE_KEYS);
      }
      int len = readLength(c, e);
      if (next.length < len) {
        next = new byte[Math.max(len, next.length * 2)];
      }
      c.readBytes(next, 0, len);
      int cmp = nameLen < 0 ? 1 : Arrays.compareUnsigned(next, 0, len, name, 0, nameLen);
      if (cmp < 0) {
        throw c.corruptAt(at, "entry " + e + " has a label name that sorts before the previous one");
      }
      if (cmp > 0) {
        byte[] t = name;
        name = next;
        next = t;
        nameLen = len;
        int k = names.size();
        names.add(new String(name, 0, len, StandardCharsets.UTF_8));
        if (k == first.length) {
          first = Arrays.copyOf(first, k * 2);
          counts = Arrays.copyOf(counts, k * 2);
        }
        first[k] = at;
        sampleStarts.add(sampleValues.size());
        valueIndex = 0;
        valueLen = -1;
      }
      len = readLength(c, e);
      if (next.length < len) {
        next = new byte[Math.max(len, next.length * 2)];
      }
      c.readBytes(next, 0, len);
      if (valueLen >= 0 && Arrays.compareUnsigned(next, 0, len, value, 0, valueLen) <= 0) {
        throw c.corruptAt(
            at, "entry " + e + " has a label value that does not sort after the previous one");
      }
      byte[] t = value;
      value = next;
      next = t;
      valueLen = len;
      long postingsAt = c.position();
      long postings = c.readUvarint();
      if (postings < postingsStart || postings >= postingsEnd) {
        throw c.corruptAt(
            postingsAt,
            "entry " + e + " points to offset " + Long.toUnsignedString(postings)
                + ", outside the postings section [" + postingsStart + ", " + postingsEnd + ")");
      }
      if (valueIndex % SAMPLE_EVERY == 0) {
        int s = sampleValues.size();
        if (s == samplePos.length) {
          samplePos = Arrays.copyOf(samplePos, s * 2);
        }
        samplePos[s] = at;
        sampleValues.add(new String(value, 0, valueLen, StandardCharsets.UTF_8));
      }
      valueIndex++;
      counts[names.size() - 1] = valueIndex;
    }
    int k = names.size();
    int[] starts = new int[k + 1];
    for (int i = 0; i < k; i++) {
      starts[i] = sampleStarts.get(i);
    }
    starts[k] = sampleValues.size();
    return new PostingsTable(
        src, end, names.toArray(new String[0]), Arrays.copyOf(first, k), Arrays.copyOf(counts, k),
        starts, sampleValues.toArray(new String[0]), Arrays.copyOf(samplePos, sampleValues.size()));
  }

  private static int readLength(ByteCursor c, long entry) {
    long at = c.position();
    int len = c.readUvarintLength();
    if (len > c.remaining()) {
      throw c.corruptAt(at, "entry " + entry + " has a string of " + len + " bytes running past "
          + "offset " + c.end());
    }
    return len;
  }

  int nameCount() {
    return names.length;
  }

  String name(int idx) {
    return names[idx];
  }

  int valueCount(int idx) {
    return valueCount[idx];
  }

  /** Index of {@code name}, or -1. */
  int nameIndex(String name) {
    int lo = 0;
    int hi = names.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Utf8Order.compare(names[mid], name);
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

  /** Heap held by the samples, roughly, for statistics. */
  long sampleBytes() {
    long b = 0;
    for (String v : sampleValues) {
      b += 48 + v.length();
    }
    for (String v : names) {
      b += 48 + v.length();
    }
    return b + 8L * samplePos.length + 20L * names.length;
  }

  /**
   * Walks the values of name {@code idx} in order, starting at the first value not below
   * {@code from} (give "" for all), until the visitor declines.
   */
  void walk(int idx, String from, ByteCursor c, Scratch s, Visitor visitor) {
    int remaining = positionAtSample(idx, from, c);
    boolean skipping = !from.isEmpty();
    for (; remaining > 0; remaining--) {
      c.readUvarint(); // key count, checked on load
      c.skip(c.readUvarintLength()); // the name
      String value = SymbolTable.readString(c, s);
      long offset = c.readUvarint();
      if (skipping) {
        if (Utf8Order.compare(value, from) < 0) {
          continue;
        }
        skipping = false;
      }
      if (!visitor.visit(value, offset)) {
        return;
      }
    }
  }

  /**
   * The postings offset of {@code name = value}, or -1. Compares the entries' bytes with the
   * value's in place: a lookup allocates nothing.
   */
  long find(int idx, String value, ByteCursor c, Scratch s) {
    int remaining = positionAtSample(idx, value, c);
    s.setTarget(value);
    for (; remaining > 0; remaining--) {
      c.readUvarint(); // key count, checked on load
      c.skip(c.readUvarintLength()); // the name
      int len = c.readUvarintLength();
      if (len > c.remaining()) {
        throw c.corrupt("string of " + len + " bytes runs past offset " + c.end());
      }
      byte[] b = s.bytes(len);
      c.readBytes(b, 0, len);
      int cmp = s.compareWithTarget(b, len);
      long offset = c.readUvarint();
      if (cmp >= 0) {
        return cmp == 0 ? offset : -1;
      }
    }
    return -1;
  }

  // Points c at the entry of the last sampled value of name idx at or before `from`, and returns
  // how many entries of that name follow from there.
  private int positionAtSample(int idx, String from, ByteCursor c) {
    int first = sampleStart[idx];
    int lo = first;
    int hi = sampleStart[idx + 1] - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (Utf8Order.compare(sampleValues[mid], from) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    c.range(samplePos[lo], end, POSTINGS_TABLE);
    return valueCount[idx] - (lo - first) * SAMPLE_EVERY;
  }

  /** All values of name {@code idx}, in order. */
  List<String> values(int idx, ByteCursor c, Scratch s) {
    List<String> out = new ArrayList<>(valueCount[idx]);
    walk(idx, "", c, s, (v, off) -> out.add(v));
    return out;
  }
}
