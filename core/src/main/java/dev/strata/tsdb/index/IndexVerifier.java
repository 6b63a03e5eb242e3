package dev.strata.tsdb.index;

import static dev.strata.tsdb.index.IndexFormat.CRC_SIZE;
import static dev.strata.tsdb.index.IndexFormat.LABEL_INDEX;
import static dev.strata.tsdb.index.IndexFormat.LABEL_INDEX_KEYS;
import static dev.strata.tsdb.index.IndexFormat.LABEL_OFFSET_TABLE;
import static dev.strata.tsdb.index.IndexFormat.PADDING;
import static dev.strata.tsdb.index.IndexFormat.POSTINGS;
import static dev.strata.tsdb.index.IndexFormat.POSTINGS_ALIGNMENT;
import static dev.strata.tsdb.index.IndexFormat.POSTINGS_TABLE;
import static dev.strata.tsdb.index.IndexFormat.SERIES;
import static dev.strata.tsdb.index.IndexFormat.SERIES_ALIGNMENT;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads a whole index and checks everything a reader otherwise trusts: every CRC, that padding is
 * zero, that symbols, series, names and values ascend, that each table points at real entries,
 * and that every postings list holds exactly the series that carry its label pair (compared by
 * count and by a checksum of the refs, gathered while reading the series section).
 */
final class IndexVerifier {
  private final IndexReader r;
  private final ByteSource src;
  private final IndexToc toc;
  private final ByteCursor c;
  private final RoaringBitmap series = new RoaringBitmap();
  // Per label pair: the series with it, and the sum of their mixed refs.
  private final PairCounts pairs = new PairCounts(true);
  // Label indices and postings lists by ascending offset, as found; primitive, since a block can
  // hold millions of lists.
  private final LongList labelIndices = new LongList();
  private final LongList postingsLists = new LongList();
  private final LongList postingsCounts = new LongList();
  private final LongList postingsSums = new LongList();

  /** A growable list of longs, searched by value when ascending. */
  private static final class LongList {
    long[] values = new long[64];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long get(int i) {
      return values[i];
    }

    int indexOf(long v) {
      int i = java.util.Arrays.binarySearch(values, 0, size, v);
      return i < 0 ? -1 : i;
    }
  }

  IndexVerifier(IndexReader r) {
    this.r = r;
    this.src = r.source();
    this.toc = r.toc();
    this.c = new ByteCursor(src, SERIES, 64 << 10);
  }

  long verify() {
    SymbolTable symbols = r.symbols(); // checks the CRC
    symbols.verifyOrder();
    Sections.checkZeros(c, symbols.end() + CRC_SIZE, toc.series(), PADDING);
    long count = verifySeries(symbols);
    verifyLabelIndices(symbols.count());
    verifyPostings();
    long labelTableEnd = verifyLabelOffsetTable();
    Sections.checkZeros(c, labelTableEnd + CRC_SIZE, toc.postingsTable(), PADDING);
    verifyPostingsTable(symbols, count);
    return count;
  }

  private static long mix(long ref) {
    long h = (ref + 1) * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  private long verifySeries(SymbolTable symbols) {
    Scratch s = new Scratch(src);
    ChunkMetas chunks = new ChunkMetas();
    Labels prev = null;
    long count = 0;
    long end = toc.labelIndices();
    long pos = toc.series();
    // One range over the section, moved entry to entry, so the window is copied once per 64 KiB
    // rather than once per entry; every entry is still checked against its own length below.
    c.range(pos, end, SERIES);
    while (pos < end) {
      long entry = IndexFormat.align(pos, SERIES_ALIGNMENT);
      c.position(pos);
      for (long p = pos; p < Math.min(entry, end); p++) {
        int b = c.readUnsignedByte();
        if (b != 0) {
          throw c.corruptAt(p, "padding byte is 0x" + Integer.toHexString(b) + ", not zero");
        }
      }
      if (entry >= end) {
        break;
      }
      int len = c.readUvarintLength();
      long body = c.position();
      if (len > end - body - CRC_SIZE) {
        throw c.corruptAt(entry, "series entry of " + len + " bytes and its CRC run past " + end);
      }
      Sections.checkCrc(src, SERIES, body, body + len);
      // Decode twice: the labels for their order, the refs for the postings cross-check.
      Labels labels = SeriesCodec.decode(c, entry, symbols, s, chunks);
      if (c.position() != body + len) {
        throw c.corruptAt(entry, "series entry of " + len + " bytes decodes to "
            + (c.position() - body));
      }
      if (labels.isEmpty()) {
        throw c.corruptAt(entry, "series entry has no labels");
      }
      if (prev != null && labels.compareTo(prev) <= 0) {
        throw c.corruptAt(entry, "series " + labels + " does not sort after " + prev);
      }
      long ref = entry / SERIES_ALIGNMENT;
      c.position(body);
      int k = c.readUvarintLength();
      for (int i = 0; i < k; i++) {
        pairs.add(PairCounts.key(c.readUvarint32(), c.readUvarint32()), mix(ref));
      }
      series.add((int) ref);
      prev = labels;
      count++;
      pos = body + len + CRC_SIZE;
    }
    return count;
  }

  private void verifyLabelIndices(int symbolCount) {
    long end = toc.postings();
    long pos = toc.labelIndices();
    while (pos < end) {
      long at = IndexFormat.align(pos, POSTINGS_ALIGNMENT);
      Sections.checkZeros(c, pos, Math.min(at, end), PADDING);
      if (at >= end) {
        break;
      }
      long crcAt = Sections.open(c, at, end, LABEL_INDEX);
      Sections.checkCrc(src, LABEL_INDEX, at + 4, crcAt);
      if (c.remaining() < 8) {
        throw c.corruptAt(at, "label index too short for its name and entry counts");
      }
      long names = c.readUnsignedBE32();
      long entries = c.readUnsignedBE32();
      if (names != LABEL_INDEX_KEYS || entries * 4 != c.remaining()) {
        throw c.corruptAt(
            at, "label index of " + names + " names and " + entries + " entries has "
                + c.remaining() + " bytes of entries");
      }
      for (long i = 0; i < entries; i++) {
        long ref = c.readUnsignedBE32();
        if (ref >= symbolCount) {
          throw c.corrupt("label index at " + at + " refers to symbol " + ref + " of " + symbolCount);
        }
      }
      labelIndices.add(at);
      pos = crcAt + CRC_SIZE;
    }
  }

  private void verifyPostings() {
    long end = toc.labelOffsetTable();
    long pos = toc.postings();
    while (pos < end) {
      long at = IndexFormat.align(pos, POSTINGS_ALIGNMENT);
      Sections.checkZeros(c, pos, Math.min(at, end), PADDING);
      if (at >= end) {
        break;
      }
      MappedPostings list = r.openList(at, c);
      long crcAt = at + 8 + 4L * list.size();
      Sections.checkCrc(src, POSTINGS, at + 4, crcAt);
      long sum = 0;
      int i = 0;
      while (list.next()) {
        long ref = list.at();
        if (!series.contains((int) ref)) {
          throw Sections.corrupt(
              src, POSTINGS, at + 8 + 4L * i,
              "entry " + i + " of the postings list at offset " + at + " is series ref " + ref
                  + ", where no series entry starts");
        }
        sum += mix(ref);
        i++;
      }
      postingsLists.add(at);
      postingsCounts.add(list.size());
      postingsSums.add(sum);
      pos = crcAt + CRC_SIZE;
    }
  }

  private long verifyLabelOffsetTable() {
    long at = toc.labelOffsetTable();
    long crcAt = Sections.open(c, at, toc.postingsTable(), LABEL_OFFSET_TABLE);
    Sections.checkCrc(src, LABEL_OFFSET_TABLE, at + 4, crcAt);
    long n = c.readUnsignedBE32();
    Scratch s = new Scratch(src);
    String prev = null;
    for (long i = 0; i < n; i++) {
      long entry = c.position();
      long keys = c.readUvarint();
      if (keys != LABEL_INDEX_KEYS) {
        throw c.corruptAt(entry, "entry " + i + " has " + Long.toUnsignedString(keys) + " keys, not 1");
      }
      String name = SymbolTable.readString(c, s);
      long offset = c.readUvarint();
      if (labelIndices.indexOf(offset) < 0) {
        throw c.corruptAt(entry, "entry " + i + " points to offset " + offset
            + ", where no label index starts");
      }
      if (prev != null && Utf8Order.compare(name, prev) <= 0) {
        throw c.corruptAt(entry, "entry " + i + " does not sort after the previous name");
      }
      prev = name;
    }
    if (c.hasRemaining()) {
      throw c.corrupt(c.remaining() + " bytes follow the last of " + n + " entries");
    }
    if (n != labelIndices.size) {
      throw c.corruptAt(at, n + " entries for " + labelIndices.size + " label indices");
    }
    return crcAt;
  }

  private void verifyPostingsTable(SymbolTable symbols, long seriesCount) {
    PostingsTable t = r.postingsTable(); // checks the CRC, the order and the offsets' range
    Sections.checkZeros(c, postingsTableEnd(), IndexToc.offset(src), PADDING);
    Scratch s = new Scratch(src);
    ByteCursor walk = new ByteCursor(src, POSTINGS_TABLE, 4096);
    int[] entries = {0};
    for (int i = 0; i < t.nameCount(); i++) {
      String name = t.name(i);
      int nameRef = name.isEmpty() ? -1 : symbols.find(name, s);
      t.walk(i, "", walk, s, (value, off) -> {
        entries[0]++;
        int list = postingsLists.indexOf(off);
        if (list < 0) {
          throw corruptTable("the entry for " + name + "=" + value + " points to offset " + off
              + ", where no postings list starts");
        }
        long expectedCount;
        long expectedSum;
        if (name.isEmpty()) {
          if (!value.isEmpty()) {
            throw corruptTable("the empty label name has value \"" + value + "\"");
          }
          expectedCount = seriesCount;
          expectedSum = allSum();
        } else {
          int valueRef = symbols.find(value, s);
          long key = PairCounts.key(nameRef, valueRef);
          boolean known = nameRef >= 0 && valueRef >= 0;
          expectedCount = known ? pairs.get(key) : -1;
          expectedSum = known ? pairs.sum(key) : 0;
        }
        if (expectedCount != postingsCounts.get(list) || expectedSum != postingsSums.get(list)) {
          throw corruptTable("the postings list of " + name + "=" + value + " at offset " + off
              + " does not hold exactly the series with that label");
        }
        return true;
      });
    }
    if (entries[0] != postingsLists.size) {
      throw corruptTable(entries[0] + " entries for " + postingsLists.size + " postings lists");
    }
    if (entries[0] != pairs.size() + 1) {
      throw corruptTable(entries[0] + " entries, but the series hold " + pairs.size()
          + " label pairs besides the list of all series");
    }
  }

  private long allSum() {
    long sum = 0;
    for (org.roaringbitmap.IntIterator it = series.getIntIterator(); it.hasNext(); ) {
      sum += mix(Integer.toUnsignedLong(it.next()));
    }
    return sum;
  }

  private long postingsTableEnd() {
    c.range(toc.postingsTable(), IndexToc.offset(src), POSTINGS_TABLE);
    return toc.postingsTable() + 4 + c.readUnsignedBE32() + CRC_SIZE;
  }

  private CorruptDataException corruptTable(String reason) {
    return Sections.corrupt(src, POSTINGS_TABLE, toc.postingsTable(), reason);
  }
}
