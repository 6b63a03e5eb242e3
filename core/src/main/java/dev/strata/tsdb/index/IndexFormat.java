package dev.strata.tsdb.index;

/**
 * Constants of the block index file, format version 2, as Prometheus 2.42 writes it.
 *
 * <pre>
 * header:        magic 0xBAAAD700 (4 bytes, BE) | version 2 (1 byte)
 * symbols:       len (4) | count (4) | (uvarint length, UTF-8 bytes)... | CRC (4)
 * series:        per series, at a multiple of 16 (ref = offset / 16), zero padded:
 *                uvarint len | labels count | (name ref, value ref)... | chunks count
 *                | first chunk: mint varint, maxt - mint uvarint, ref uvarint
 *                | later chunks: mint - previous maxt uvarint, maxt - mint uvarint,
 *                  ref - previous ref varint | CRC (4)
 * label indices: per label name, at a multiple of 4: len (4) | 1 (4) | count (4)
 *                | value refs (4 each) | CRC (4)
 * postings:      per label pair, the all-postings list ("" = "") first, at a multiple of 4:
 *                len (4) | count (4) | series refs (4 each, ascending) | CRC (4)
 * label offset table:    len (4) | count (4) | (1, uvarint name, uvarint offset)... | CRC (4)
 * postings offset table: len (4) | count (4) | (2, name, value, uvarint offset)... | CRC (4)
 * TOC:           six 8-byte offsets (symbols, series, label indices, label offset table,
 *                postings, postings offset table) | CRC (4)
 * </pre>
 *
 * <p>Every {@code len} counts the bytes after itself and before the CRC; every CRC is a
 * CRC32-Castagnoli of exactly those bytes (for a series, of the bytes after its uvarint length).
 * Symbol refs are positions in the sorted symbol table. The TOC offsets of the series, label
 * indices and postings sections are where the previous section ended, before the padding that
 * aligns the first entry; readers must therefore skip zero bytes between sections.
 */
public final class IndexFormat {

  public static final int MAGIC = 0xBAAAD700;
  /** The only version Prometheus 2 writes; version 1 predates Prometheus 2.1. */
  public static final int VERSION_2 = 2;
  /** Magic and version. */
  public static final int HEADER_SIZE = 5;
  /** Six offsets and a CRC. */
  public static final int TOC_SIZE = 6 * 8 + 4;
  public static final int CRC_SIZE = 4;

  /**
   * Series entries start at multiples of this, so that a 4-byte postings entry, the entry's offset
   * divided by 16, can address 64 GiB of series.
   */
  public static final int SERIES_ALIGNMENT = 16;
  /** Label indices and postings lists start at multiples of this. */
  public static final int POSTINGS_ALIGNMENT = 4;

  /** Name and value of the list of all series. */
  public static final String ALL_POSTINGS_NAME = "";
  public static final String ALL_POSTINGS_VALUE = "";

  /** Key count of a label offset table entry (one label name per label index). */
  static final int LABEL_INDEX_KEYS = 1;
  /** Key count of a postings offset table entry (a name and a value). */
  static final int POSTINGS_TABLE_KEYS = 2;

  /**
   * Every this-many symbols, and every this-many values of a label name in the postings offset
   * table, a reader keeps an offset in memory and walks from there. Prometheus uses the same
   * factor, so memory per block is comparable.
   */
  static final int SAMPLE_EVERY = 32;

  /** Largest series entry offset a 4-byte postings entry can address: (2^32 - 1) * 16. */
  static final long MAX_SERIES_OFFSET = 0xFFFF_FFFFL * SERIES_ALIGNMENT;

  // Section names used in error messages.
  static final String HEADER = "index header";
  static final String TOC = "TOC";
  static final String SYMBOLS = "symbol table";
  static final String SERIES = "series";
  static final String LABEL_INDEX = "label index";
  static final String POSTINGS = "postings";
  static final String LABEL_OFFSET_TABLE = "label offset table";
  static final String POSTINGS_TABLE = "postings offset table";
  static final String PADDING = "padding";

  private IndexFormat() {}

  /** {@code pos} rounded up to a multiple of {@code alignment}, a power of two. */
  static long align(long pos, int alignment) {
    return (pos + alignment - 1) & -alignment;
  }
}
