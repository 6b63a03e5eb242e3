package dev.strata.tsdb.index;

import static dev.strata.tsdb.index.IndexFormat.HEADER;
import static dev.strata.tsdb.index.IndexFormat.HEADER_SIZE;
import static dev.strata.tsdb.index.IndexFormat.MAGIC;
import static dev.strata.tsdb.index.IndexFormat.POSTINGS;
import static dev.strata.tsdb.index.IndexFormat.SERIES;
import static dev.strata.tsdb.index.IndexFormat.SERIES_ALIGNMENT;
import static dev.strata.tsdb.index.IndexFormat.VERSION_2;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.fileutil.MappedFile;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads a block's {@code index} file (format 2, as Prometheus 2.x writes it) in place from a
 * memory mapping.
 *
 * <p>Opening checks the header and the TOC and nothing else, so opening many blocks is cheap. The
 * symbol table and the postings offset table are scanned, CRC-checked and sampled on first use
 * (see {@link SymbolTable} and {@link PostingsTable}: a fraction of a byte of heap per symbol);
 * series entries and postings lists are decoded from the mapping on each call, with every offset
 * and length checked against its section, but their CRCs only checked by {@link #verifyAll()},
 * since checksumming each entry a query touches would read more than the query. Anything out of
 * place is a {@link CorruptDataException} naming the file, the section and the offset.
 *
 * <p>Thread-safe: any number of threads may read concurrently; each keeps its decoding buffers in
 * a thread-local. {@link #close()} unmaps the file, after which reads throw {@link
 * IllegalStateException}.
 */
public final class IndexReader implements AutoCloseable {
  private final ByteSource src;
  private final AutoCloseable owned;
  private final IndexToc toc;
  private final long minSeriesRef;
  private final long maxSeriesRef;
  private final ThreadLocal<Scratch> scratch;
  private volatile SymbolTable symbols;
  private volatile PostingsTable postingsTable;

  /** Receives postings lists from {@link #forEachPostingsList}. */
  @FunctionalInterface
  public interface PostingsListVisitor {
    /**
     * @param name label name, "" for the list of all series
     * @param value label value
     * @param series refs in the list
     * @param bytes size of the list in the file, length and CRC included
     */
    void visit(String name, String value, int series, long bytes);
  }

  private IndexReader(ByteSource src, AutoCloseable owned) {
    this.src = src;
    this.owned = owned;
    ByteCursor c = new ByteCursor(src, HEADER, 64);
    checkHeader(c);
    this.toc = IndexToc.read(c);
    this.minSeriesRef = IndexFormat.align(toc.series(), SERIES_ALIGNMENT) / SERIES_ALIGNMENT;
    this.maxSeriesRef = (toc.labelIndices() - 1) / SERIES_ALIGNMENT; // below min when no series
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(src));
  }

  /**
   * Maps {@code file} and checks its header and TOC.
   *
   * @throws CorruptDataException if the file is too short, has the wrong magic number or version,
   *     or a TOC whose CRC or order is wrong
   */
  public static IndexReader open(Path file) throws IOException {
    MappedFile mapped = MappedFile.open(file);
    try {
      return new IndexReader(mapped, mapped);
    } catch (RuntimeException e) {
      mapped.close();
      throw e;
    }
  }

  /** Reads an index held by {@code source}, such as an object fetched whole; the caller owns it. */
  public static IndexReader open(ByteSource source) {
    return new IndexReader(source, null);
  }

  private static void checkHeader(ByteCursor c) {
    ByteSource src = c.source();
    if (src.length() < HEADER_SIZE) {
      throw Sections.corrupt(
          src, HEADER, 0, "file has " + src.length() + " bytes, fewer than the header");
    }
    c.range(0, HEADER_SIZE, HEADER);
    int magic = c.readBE32();
    if (magic != MAGIC) {
      throw Sections.corrupt(
          src, HEADER, 0,
          String.format("magic number 0x%08X is not the index magic 0x%08X", magic, MAGIC));
    }
    int version = c.readUnsignedByte();
    if (version != VERSION_2) {
      throw Sections.corrupt(
          src, HEADER, 4,
          "index format version " + version + " is not supported (only version " + VERSION_2
              + ", which every Prometheus since 2.1 writes)");
    }
  }

  /** Where the bytes come from, usually the file path. */
  public String description() {
    return src.description();
  }

  /** Size of the index in bytes. */
  public long sizeInBytes() {
    return src.length();
  }

  /**
   * Heap held by the samples of the symbol table and the postings offset table, roughly, in bytes;
   * 0 for a table not loaded yet. The rest of the index stays in the mapping.
   */
  public long heapBytes() {
    SymbolTable s = symbols;
    PostingsTable t = postingsTable;
    return (s == null ? 0 : s.sampleBytes()) + (t == null ? 0 : t.sampleBytes());
  }

  // ---- lazily loaded tables -------------------------------------------------------------------

  SymbolTable symbols() {
    SymbolTable s = symbols;
    if (s == null) {
      synchronized (this) {
        s = symbols;
        if (s == null) {
          s = SymbolTable.load(src, toc.symbols(), toc.series());
          symbols = s;
        }
      }
    }
    return s;
  }

  PostingsTable postingsTable() {
    PostingsTable t = postingsTable;
    if (t == null) {
      synchronized (this) {
        t = postingsTable;
        if (t == null) {
          t = PostingsTable.load(
              src, toc.postingsTable(), IndexToc.offset(src), toc.postings(),
              toc.labelOffsetTable());
          postingsTable = t;
        }
      }
    }
    return t;
  }

  Scratch scratch() {
    return scratch.get();
  }

  IndexToc toc() {
    return toc;
  }

  ByteSource source() {
    return src;
  }

  // ---- symbols --------------------------------------------------------------------------------

  /** Number of strings in the symbol table. */
  public int symbolCount() {
    return symbols().count();
  }

  /**
   * The symbol with ref {@code ref}.
   *
   * @throws IllegalArgumentException if there is no such symbol
   */
  public String symbol(int ref) {
    SymbolTable t = symbols();
    if (ref < 0 || ref >= t.count()) {
      throw new IllegalArgumentException(
          "symbol ref " + ref + " is outside [0, " + t.count() + ") in " + src.description());
    }
    return t.lookup(ref, scratch());
  }

  /** The ref of {@code symbol}, or -1 if the index does not hold it. */
  public int symbolRef(String symbol) {
    return symbols().find(Objects.requireNonNull(symbol, "symbol"), scratch());
  }

  /** Calls {@code consumer} with every symbol, in order. */
  public void forEachSymbol(Consumer<String> consumer) {
    symbols().forEach(consumer, scratch());
  }

  // ---- label names and values -----------------------------------------------------------------

  /** Every label name that some series has, in UTF-8 order. */
  public List<String> labelNames() {
    PostingsTable t = postingsTable();
    List<String> out = new ArrayList<>(t.nameCount());
    for (int i = 0; i < t.nameCount(); i++) {
      if (!t.name(i).isEmpty()) {
        out.add(t.name(i));
      }
    }
    return out;
  }

  /**
   * The values of label {@code name}, in UTF-8 order; with matchers, only values of series that
   * match all of them (and none if there is no such series).
   */
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    Objects.requireNonNull(name, "name");
    if (matchers.length > 0) {
      return MatcherResolver.labelValues(this, name, matchers);
    }
    PostingsTable t = postingsTable();
    int idx = name.isEmpty() ? -1 : t.nameIndex(name);
    if (idx < 0) {
      return List.of();
    }
    return t.values(idx, scratch().cursor, scratch());
  }

  /**
   * The same as {@link #labelValues}: format 2 keeps values sorted. Named after Prometheus's
   * reader, whose version-1 indexes were not.
   */
  public List<String> sortedLabelValues(String name, LabelMatcher... matchers) {
    return labelValues(name, matchers);
  }

  /** Number of values of label {@code name}, without reading them. */
  public int labelValueCount(String name) {
    PostingsTable t = postingsTable();
    int idx = name.isEmpty() ? -1 : t.nameIndex(name);
    return idx < 0 ? 0 : t.valueCount(idx);
  }

  // ---- postings -------------------------------------------------------------------------------

  /** Refs of all series, ascending; the order of the series section. */
  public Postings allPostings() {
    return postings(IndexFormat.ALL_POSTINGS_NAME, IndexFormat.ALL_POSTINGS_VALUE);
  }

  /** Number of series, from the length of the list of all series. */
  public long seriesCount() {
    PostingsTable t = postingsTable();
    int idx = t.nameIndex(IndexFormat.ALL_POSTINGS_NAME);
    if (idx < 0) {
      return 0;
    }
    Scratch s = scratch();
    long off = t.find(idx, IndexFormat.ALL_POSTINGS_VALUE, s.cursor, s);
    return off < 0 ? 0 : openList(off, s.cursor).size();
  }

  /**
   * Refs of the series whose label {@code name} has any of {@code values}; {@code ("", "")} is the
   * list of all series, as in Prometheus.
   */
  public Postings postings(String name, String... values) {
    Objects.requireNonNull(name, "name");
    if (values.length == 0) {
      return Postings.empty();
    }
    String[] sorted = values.clone();
    Arrays.sort(sorted, Utf8Order.COMPARATOR);
    return postingsSorted(name, sorted, sorted.length);
  }

  /** Postings for the first {@code n} of {@code values}, which are sorted (duplicates allowed). */
  Postings postingsSorted(String name, String[] values, int n) {
    PostingsTable t = postingsTable();
    int idx = t.nameIndex(name);
    if (idx < 0 || n == 0) {
      return Postings.empty();
    }
    Scratch s = scratch();
    long[] offsets = new long[n];
    int found = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0 && values[i].equals(values[i - 1])) {
        continue;
      }
      long off = t.find(idx, values[i], s.cursor, s);
      if (off >= 0) {
        offsets[found++] = off;
      }
    }
    return merge(offsets, found, s.cursor);
  }

  /** The union of the lists at {@code offsets[0, n)}. */
  Postings merge(long[] offsets, int n, ByteCursor c) {
    if (n == 0) {
      return Postings.empty();
    }
    if (n == 1) {
      return openList(offsets[0], c);
    }
    List<Postings> lists = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      lists.add(openList(offsets[i], c));
    }
    return Postings.merge(lists);
  }

  /** The postings list whose length field is at {@code off}, positioned before its first ref. */
  MappedPostings openList(long off, ByteCursor c) {
    long end = Sections.open(c, off, toc.labelOffsetTable(), POSTINGS);
    if (c.remaining() < 4) {
      throw c.corrupt("postings list at offset " + off + " is too short for its count");
    }
    long n = c.readUnsignedBE32();
    if (n * 4 != c.remaining()) {
      throw c.corruptAt(
          off,
          "postings list of " + n + " refs should have length " + (4 + 4 * n) + ", not "
              + (end - off - 4));
    }
    return new MappedPostings(src, off, off + 8, (int) n, minSeriesRef, maxSeriesRef);
  }

  /**
   * Refs of the series matching all of {@code matchers}, ascending, with Prometheus's semantics: a
   * label a series lacks has the value "", so {@code foo=""} and {@code foo!="bar"} select series
   * without {@code foo}. Negative matchers are resolved by subtracting the lists of the values they
   * reject; regular expressions by the values they accept, read directly when the matcher knows
   * them ({@link LabelMatcher#setMatches()}) and otherwise tested value by value from the
   * matcher's literal prefix on. No matchers select nothing.
   */
  public Postings postingsForMatchers(LabelMatcher... matchers) {
    return MatcherResolver.postingsForMatchers(this, matchers);
  }

  /** Calls {@code visitor} for every postings list, in file order: one pass over the table. */
  public void forEachPostingsList(PostingsListVisitor visitor) {
    PostingsTable t = postingsTable();
    // Own cursors: the visitor may call back into the reader, which uses the thread's scratch.
    ByteCursor table = new ByteCursor(src, IndexFormat.POSTINGS_TABLE, 4096);
    ByteCursor lists = new ByteCursor(src, POSTINGS, 64);
    Scratch strings = new Scratch(src);
    for (int i = 0; i < t.nameCount(); i++) {
      String name = t.name(i);
      t.walk(i, "", table, strings, (value, off) -> {
        int n = openList(off, lists).size();
        visitor.visit(name, value, n, 12 + 4L * n);
        return true;
      });
    }
  }

  /** Per label name: values, series and postings bytes, in name order; one pass over the table. */
  public List<LabelStats> labelStats() {
    List<LabelStats> out = new ArrayList<>();
    String[] current = {null};
    long[] sums = new long[3];
    forEachPostingsList((name, value, series, bytes) -> {
      if (!name.equals(current[0])) {
        if (current[0] != null && !current[0].isEmpty()) {
          out.add(new LabelStats(current[0], (int) sums[0], sums[1], sums[2]));
        }
        current[0] = name;
        Arrays.fill(sums, 0);
      }
      sums[0]++;
      sums[1] += series;
      sums[2] += bytes;
    });
    if (current[0] != null && !current[0].isEmpty()) {
      out.add(new LabelStats(current[0], (int) sums[0], sums[1], sums[2]));
    }
    return out;
  }

  // ---- series ---------------------------------------------------------------------------------

  /**
   * Decodes the series with ref {@code ref} (its entry's offset divided by 16, as postings hold
   * it): returns its labels and fills {@code chunks}, when not null, with its chunk metas.
   *
   * @throws CorruptDataException if the ref points outside the series section or the entry there
   *     is malformed: truncated, with symbol refs outside the symbol table or unsorted names
   */
  public Labels series(long ref, ChunkMetas chunks) {
    if (ref < minSeriesRef || ref > maxSeriesRef) {
      throw Sections.corrupt(
          src, SERIES, ref * SERIES_ALIGNMENT,
          "series ref " + ref + " is outside the series section (refs " + minSeriesRef + " to "
              + maxSeriesRef + ")");
    }
    SymbolTable syms = symbols();
    Scratch s = scratch();
    ByteCursor c = s.cursor;
    long entry = ref * SERIES_ALIGNMENT;
    long sectionEnd = toc.labelIndices();
    c.range(entry, Math.min(sectionEnd, entry + 10), SERIES);
    int len = c.readUvarintLength();
    long body = c.position();
    if (len > sectionEnd - body - 4) {
      throw c.corruptAt(
          entry,
          "series entry of " + len + " bytes and its CRC run past the end of the section at "
              + sectionEnd);
    }
    c.range(body, body + len, SERIES);
    return SeriesCodec.decode(c, entry, syms, s, chunks);
  }

  /**
   * Checks the whole file: every CRC, every padding byte, the order of symbols, series, names and
   * values, that every symbol ref and series ref points where it should, and that the list of all
   * series is exactly the series section. Reads everything once.
   *
   * @return the number of series
   * @throws CorruptDataException at the first problem
   */
  public long verifyAll() {
    return new IndexVerifier(this).verify();
  }

  /** Unmaps the file, if this reader mapped it. */
  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + src.description(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "index " + src.description();
  }
}
