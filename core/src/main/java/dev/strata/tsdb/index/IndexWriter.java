package dev.strata.tsdb.index;

import static dev.strata.tsdb.index.IndexFormat.LABEL_INDEX_KEYS;
import static dev.strata.tsdb.index.IndexFormat.MAGIC;
import static dev.strata.tsdb.index.IndexFormat.MAX_SERIES_OFFSET;
import static dev.strata.tsdb.index.IndexFormat.POSTINGS_ALIGNMENT;
import static dev.strata.tsdb.index.IndexFormat.POSTINGS_TABLE_KEYS;
import static dev.strata.tsdb.index.IndexFormat.SAMPLE_EVERY;
import static dev.strata.tsdb.index.IndexFormat.SERIES_ALIGNMENT;
import static dev.strata.tsdb.index.IndexFormat.SYMBOLS;
import static dev.strata.tsdb.index.IndexFormat.VERSION_2;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.encoding.Varint;
import dev.strata.tsdb.fileutil.MappedFile;
import dev.strata.tsdb.labels.GoQuote;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a block's {@code index} file, byte for byte as Prometheus 2.42's index writer does for the
 * same input.
 *
 * <p>Driven as Prometheus's: {@link #addSymbol} every label name and value of the block in
 * ascending UTF-8 order (strings that no series uses are allowed, as a compaction may leave some),
 * then {@link #addSeries} each series in label-set order with its chunk metas, then {@link
 * #close()}, which writes the label indices, the postings lists (the list of all series first),
 * the label offset table, the postings offset table and the TOC, and forces the file to disk.
 *
 * <p><b>Memory</b> is bounded by the number of distinct symbols and label pairs, not by the number
 * of series or chunks: series are encoded straight to the file; per symbol the writer keeps a hash
 * and a file offset (strings are compared against the file, which is mapped read-only once the
 * symbol table is complete); per distinct label pair a count. At close the postings are assembled
 * by re-reading the series section in batches of at most {@code postingsBatch} refs (see {@link
 * PostingsWriter}); a pair with more series than that is assembled alone.
 *
 * <p><b>Atomicity</b> is the caller's: the file is written in place at the given path, as
 * Prometheus writes it into a block directory that only becomes visible by renaming the whole
 * directory. Write into a temporary block directory, then rename it and sync its parent. The file
 * itself is fsynced by {@link #close()}; after a failure, {@link #abort()} deletes it.
 *
 * <p>Misuse fails with {@link IllegalArgumentException} (symbols or series out of order, a label
 * whose name or value was never added as a symbol) or {@link IllegalStateException} (symbols after
 * series, use after close), before anything of the offending call reaches the file, so the writer
 * stays usable. Not thread-safe.
 */
public final class IndexWriter implements Closeable {
  /** Default of refs held at once when assembling postings: 16 MiB of ints. */
  public static final int DEFAULT_POSTINGS_BATCH = 1 << 22;

  private enum Stage {
    SYMBOLS,
    SERIES,
    CLOSED
  }

  private final Path path;
  private final IndexOutput out;
  private final int postingsBatch;
  private Stage stage = Stage.SYMBOLS;
  // Set when a call failed after it started writing: the file is then beyond repair.
  private Throwable failure;

  // Symbols.
  private final long symbolsAt;
  private String lastSymbol;
  private int symbolCount;
  private long[] samples = new long[64];
  private SymbolHashIndex symbolIndex = new SymbolHashIndex();
  private MappedFile mapped;
  private SymbolTable symbols;
  private ByteCursor symbolCursor;
  private Scratch scratch;

  // Series.
  private long seriesAt;
  private Labels lastSeries;
  private long seriesCount;
  private final ByteSink body = new ByteSink(256);
  private int[] refs = new int[32];
  private Map<String, NameCache> names = new HashMap<>();
  private PairCounts pairs = new PairCounts();

  /** The refs of a label name and of the value it had in the previous series that had it. */
  private static final class NameCache {
    final int nameRef;
    String value;
    int valueRef;

    NameCache(int nameRef) {
      this.nameRef = nameRef;
    }
  }

  private IndexWriter(Path path, int postingsBatch) throws IOException {
    this.path = path;
    this.postingsBatch = postingsBatch;
    this.out = new IndexOutput(path);
    out.buffer().putBE32(MAGIC).putByte(VERSION_2);
    symbolsAt = out.position();
    out.buffer().putBE32(0).putBE32(0); // length and count, patched when the table is complete
  }

  /** Creates (or truncates) the index file at {@code path}. */
  public static IndexWriter create(Path path) throws IOException {
    return create(path, DEFAULT_POSTINGS_BATCH);
  }

  /**
   * As {@link #create(Path)}, holding at most {@code postingsBatch} series refs in memory at once
   * when assembling postings (except for a single label pair with more series than that).
   */
  public static IndexWriter create(Path path, int postingsBatch) throws IOException {
    if (postingsBatch < 1) {
      throw new IllegalArgumentException("postings batch " + postingsBatch + " is not positive");
    }
    return new IndexWriter(Objects.requireNonNull(path, "path"), postingsBatch);
  }

  /** The file being written. */
  public Path path() {
    return path;
  }

  /**
   * Adds the next symbol: a label name or value some series will use.
   *
   * @throws IllegalArgumentException if {@code symbol} does not sort after the previous symbol
   * @throws IllegalStateException if a series was already added
   */
  public void addSymbol(String symbol) throws IOException {
    Objects.requireNonNull(symbol, "symbol");
    if (stage != Stage.SYMBOLS) {
      throw new IllegalStateException(
          stage == Stage.CLOSED
              ? "index writer for " + path + " is closed"
              : "symbol " + GoQuote.quote(symbol) + " added after the first series; add all symbols first");
    }
    if (symbolCount > 0 && Utf8Order.compare(symbol, lastSymbol) <= 0) {
      throw new IllegalArgumentException(
          "symbol " + GoQuote.quote(symbol) + " does not sort after the previous symbol "
              + GoQuote.quote(lastSymbol) + "; add symbols in ascending UTF-8 order, each once");
    }
    if (symbolCount == Integer.MAX_VALUE) {
      throw new IllegalStateException("more than 2^31 - 1 symbols");
    }
    checkNotFailed();
    byte[] bytes = symbol.getBytes(StandardCharsets.UTF_8);
    long pos = out.position();
    long tableEnd = pos + Varint.uvarintSize(bytes.length) + bytes.length;
    if (tableEnd - symbolsAt - 4 > 0xFFFF_FFFFL) {
      throw new IllegalStateException("symbol table would exceed 4 GiB, the format's limit");
    }
    if (symbolCount % SAMPLE_EVERY == 0) {
      int s = symbolCount / SAMPLE_EVERY;
      if (s == samples.length) {
        samples = Arrays.copyOf(samples, s * 2);
      }
      samples[s] = pos;
    }
    symbolIndex.add(symbol, pos - symbolsAt - 8);
    out.buffer().putUvarint(bytes.length).putBytes(bytes);
    try {
      out.maybeFlush();
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      throw e;
    }
    lastSymbol = symbol;
    symbolCount++;
  }

  // Completes the symbol table: length, count and CRC, which covers the count, so the table is
  // read back from the file; it stays mapped for symbol lookups.
  private void finishSymbols() throws IOException {
    long end = out.position();
    out.patchBE32(symbolsAt, (int) (end - symbolsAt - 4));
    out.patchBE32(symbolsAt + 4, symbolCount);
    out.flush();
    mapped = MappedFile.open(path);
    out.buffer().putBE32(mapped.crc32c(symbolsAt + 4, end - symbolsAt - 4));
    symbols = new SymbolTable(
        mapped, symbolsAt, end, symbolCount,
        Arrays.copyOf(samples, (symbolCount + SAMPLE_EVERY - 1) / SAMPLE_EVERY));
    samples = null;
    symbolIndex.freeze(mapped, symbolsAt + 8);
    scratch = new Scratch(mapped);
    symbolCursor = new ByteCursor(mapped, SYMBOLS, 64); // random lookups: copy little per refill
    symbolCursor.range(symbolsAt + 8, end, SYMBOLS);
    seriesAt = out.position();
    stage = Stage.SERIES;
  }

  /**
   * Adds the next series.
   *
   * @param labels its labels; must sort after the previous series', every name and value must
   *     have been added as a symbol
   * @param chunks its chunk metas, in the order they are to be stored (may be empty)
   * @throws IllegalArgumentException for an empty, out-of-order or unknown-symbol label set
   * @throws IllegalStateException after {@link #close()}, or if the series section outgrows what
   *     4-byte series refs address (64 GiB)
   */
  public void addSeries(Labels labels, ChunkMetas chunks) throws IOException {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(chunks, "chunks");
    if (stage == Stage.CLOSED) {
      throw new IllegalStateException("index writer for " + path + " is closed");
    }
    checkNotFailed();
    if (stage == Stage.SYMBOLS) {
      try {
        finishSymbols();
      } catch (IOException | RuntimeException | Error e) {
        failure = e;
        throw e;
      }
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a series needs at least one label");
    }
    if (lastSeries != null && labels.compareTo(lastSeries) <= 0) {
      throw new IllegalArgumentException(
          "series " + labels + " does not sort after the previous series " + lastSeries
              + "; add series in label order, each once");
    }
    int n = labels.size();
    if (refs.length < 2 * n) {
      refs = new int[2 * n];
    }
    for (int i = 0; i < n; i++) {
      String name = labels.name(i);
      String value = labels.value(i);
      NameCache e = names.get(name);
      if (e == null) {
        e = new NameCache(symbolRef(name, "label name", labels));
        names.put(name, e);
      }
      if (e.value == null || !e.value.equals(value)) {
        int ref = symbolRef(value, "value of label " + name, labels);
        e.value = value;
        e.valueRef = ref;
      }
      refs[2 * i] = e.nameRef;
      refs[2 * i + 1] = e.valueRef;
    }
    if (IndexFormat.align(out.position(), SERIES_ALIGNMENT) > MAX_SERIES_OFFSET) {
      throw new IllegalStateException(
          "series section exceeds the 64 GiB that 4-byte series refs can address");
    }
    try {
      out.padTo(SERIES_ALIGNMENT);
      body.clear();
      SeriesCodec.encode(body, refs, n, chunks);
      ByteSink buf = out.buffer();
      buf.putUvarint(body.length()).putBytes(body.array(), 0, body.length());
      buf.putBE32(body.crc32c(0, body.length()));
      out.maybeFlush();
      for (int i = 0; i < n; i++) {
        pairs.increment(PairCounts.key(refs[2 * i], refs[2 * i + 1]));
      }
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      throw e;
    }
    lastSeries = labels;
    seriesCount++;
  }

  private void checkNotFailed() {
    if (failure != null) {
      throw new IllegalStateException(
          "index writer for " + path + " failed earlier and cannot continue", failure);
    }
  }

  private int symbolRef(String s, String what, Labels labels) {
    int ref = symbolIndex.find(s, symbolCursor, scratch);
    if (ref < 0) {
      throw new IllegalArgumentException(
          what + " " + GoQuote.quote(s) + " of series " + labels + " is not in the symbol table; add"
              + " every label name and value with addSymbol before the first series");
    }
    return ref;
  }

  /**
   * Writes the rest of the index, forces it to disk and closes the file. Idempotent. If an earlier
   * call failed other than by misuse, or this one fails, the file is left incomplete and this
   * throws: delete it, or call {@link #abort()} instead.
   */
  @Override
  public void close() throws IOException {
    if (stage == Stage.CLOSED) {
      return;
    }
    if (failure != null) {
      stage = Stage.CLOSED;
      release();
      throw new IOException(
          "index " + path + " was not completed because an earlier call failed", failure);
    }
    try {
      if (stage == Stage.SYMBOLS) {
        finishSymbols();
      }
      stage = Stage.CLOSED;
      finish();
      out.sync();
    } finally {
      stage = Stage.CLOSED;
      release();
    }
  }

  /** Closes without completing the index and deletes the file. */
  public void abort() throws IOException {
    stage = Stage.CLOSED;
    release();
    Files.deleteIfExists(path);
  }

  private void release() throws IOException {
    names = null;
    pairs = null;
    symbolIndex = null;
    try {
      out.close();
    } finally {
      if (mapped != null) {
        mapped.close();
        mapped = null;
      }
    }
  }

  private void finish() throws IOException {
    long labelIndicesAt = out.position();
    long[] keys = pairs.sortedKeys();
    int[] counts = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      counts[i] = pairs.get(keys[i]);
      if (PostingsWriter.listBytes(counts[i]) - 8 > 0xFFFF_FFFFL) {
        throw new IllegalStateException("a postings list exceeds the format's 4 GiB limit");
      }
    }
    if (PostingsWriter.listBytes(seriesCount) - 8 > 0xFFFF_FFFFL) {
      throw new IllegalStateException("the list of all series exceeds the format's 4 GiB limit");
    }
    pairs = null;
    names = null;
    symbolIndex = null;

    // Label indices: per name, its value refs.
    int nameCount = 0;
    int[] nameRefs = new int[16];
    long[] nameOffsets = new long[16];
    ByteSink buf = out.buffer();
    for (int from = 0; from < keys.length; ) {
      int name = PairCounts.nameRef(keys[from]);
      int to = from + 1;
      while (to < keys.length && PairCounts.nameRef(keys[to]) == name) {
        to++;
      }
      out.padTo(POSTINGS_ALIGNMENT);
      if (nameCount == nameRefs.length) {
        nameRefs = Arrays.copyOf(nameRefs, nameCount * 2);
        nameOffsets = Arrays.copyOf(nameOffsets, nameCount * 2);
      }
      nameRefs[nameCount] = name;
      nameOffsets[nameCount++] = out.position();
      buf.putBE32(8 + 4 * (to - from));
      out.beginCrc();
      buf.putBE32(LABEL_INDEX_KEYS).putBE32(to - from);
      for (int i = from; i < to; i++) {
        buf.putBE32(PairCounts.valueRef(keys[i]));
        if ((i & 0xFFF) == 0) {
          out.maybeFlush();
        }
      }
      out.putCrc();
      out.maybeFlush();
      from = to;
    }

    // Postings, from the series section in the file.
    long postingsAt = out.position();
    out.padTo(POSTINGS_ALIGNMENT);
    long postingsStart = out.position();
    out.flush();
    MappedFile withSeries = MappedFile.open(path);
    mapped.close();
    mapped = withSeries;
    symbols = symbols.rebase(withSeries);
    new PostingsWriter(
            out, withSeries, seriesAt, labelIndicesAt, seriesCount, keys, counts, postingsBatch)
        .write();

    // Label offset table: name and label index offset per name.
    long labelTableAt = out.position();
    ByteCursor c = new ByteCursor(withSeries, SYMBOLS, 4096);
    c.range(symbolsAt + 8, symbols.end(), SYMBOLS);
    buf.putBE32(0);
    out.beginCrc();
    buf.putBE32(nameCount);
    for (int i = 0; i < nameCount; i++) {
      buf.putUvarint(LABEL_INDEX_KEYS);
      copySymbol(nameRefs[i], c);
      buf.putUvarint(nameOffsets[i]);
      out.maybeFlush();
    }
    patchLength(labelTableAt, "label offset table");
    out.putCrc();

    // Postings offset table: name, value and postings offset per pair, all series first.
    long postingsTableAt = out.position();
    buf.putBE32(0);
    out.beginCrc();
    buf.putBE32(keys.length + 1);
    long offset = postingsStart;
    buf.putUvarint(POSTINGS_TABLE_KEYS).putUvarint(0).putUvarint(0).putUvarint(offset);
    offset += PostingsWriter.listBytes(seriesCount);
    for (int i = 0; i < keys.length; i++) {
      buf.putUvarint(POSTINGS_TABLE_KEYS);
      copySymbol(PairCounts.nameRef(keys[i]), c);
      copySymbol(PairCounts.valueRef(keys[i]), c);
      buf.putUvarint(offset);
      offset += PostingsWriter.listBytes(counts[i]);
      out.maybeFlush();
    }
    patchLength(postingsTableAt, "postings offset table");
    out.putCrc();

    new IndexToc(symbolsAt, seriesAt, labelIndicesAt, labelTableAt, postingsAt, postingsTableAt)
        .writeTo(buf);
  }

  // Copies symbol `ref` as the file holds it (uvarint length and bytes), as the tables need it.
  // Refs come in ascending runs, so the position is walked forward from the last one when near.
  private int lastRef = -1;
  private long lastRefPos;

  private void copySymbol(int ref, ByteCursor c) throws IOException {
    long pos;
    if (lastRef >= 0 && ref >= lastRef && ref - lastRef < SAMPLE_EVERY) {
      c.position(lastRefPos); // c stays ranged over the symbol table, see SymbolTable.position
      for (int i = lastRef; i < ref; i++) {
        c.skip(c.readUvarintLength());
      }
      pos = c.position();
    } else {
      pos = symbols.position(ref, c);
    }
    int len = c.readUvarintLength();
    long end = c.position() + len;
    out.copyFrom(mapped, pos, (int) (end - pos));
    lastRef = ref;
    lastRefPos = pos;
  }

  private void patchLength(long at, String what) throws IOException {
    long len = out.position() - at - 4;
    if (len > 0xFFFF_FFFFL) {
      throw new IllegalStateException(what + " exceeds the format's 4 GiB limit");
    }
    out.patchBE32(at, (int) len);
  }
}
