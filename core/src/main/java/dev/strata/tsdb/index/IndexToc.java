package dev.strata.tsdb.index;

import static dev.strata.tsdb.index.IndexFormat.HEADER_SIZE;
import static dev.strata.tsdb.index.IndexFormat.TOC;
import static dev.strata.tsdb.index.IndexFormat.TOC_SIZE;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.encoding.ByteSource;

/**
 * The table of contents at the end of the index: where each section starts. The series, label
 * indices and postings offsets are where the previous section ended; the first entry of each may
 * follow after padding.
 */
record IndexToc(
    long symbols,
    long series,
    long labelIndices,
    long labelOffsetTable,
    long postings,
    long postingsTable) {

  void writeTo(ByteSink sink) {
    int from = sink.length();
    sink.putBE64(symbols)
        .putBE64(series)
        .putBE64(labelIndices)
        .putBE64(labelOffsetTable)
        .putBE64(postings)
        .putBE64(postingsTable);
    sink.putCrc32cOf(from);
  }

  /** Offset of the TOC itself. */
  static long offset(ByteSource src) {
    return src.length() - TOC_SIZE;
  }

  /**
   * Reads and checks the TOC: its CRC, and that the sections lie in file order between the header
   * and the TOC, as every writer of format 2 puts them.
   */
  static IndexToc read(ByteCursor c) {
    ByteSource src = c.source();
    long at = offset(src);
    if (at < HEADER_SIZE) {
      throw Sections.corrupt(
          src, TOC, 0,
          "file has " + src.length() + " bytes, too few for the header and the " + TOC_SIZE
              + "-byte TOC");
    }
    Sections.checkCrc(src, TOC, at, at + TOC_SIZE - 4);
    c.range(at, at + TOC_SIZE - 4, TOC);
    IndexToc toc =
        new IndexToc(
            c.readBE64(), c.readBE64(), c.readBE64(), c.readBE64(), c.readBE64(), c.readBE64());
    long[] order = {
      HEADER_SIZE, toc.symbols, toc.series, toc.labelIndices, toc.postings,
      toc.labelOffsetTable, toc.postingsTable, at
    };
    String[] names = {
      "header end", "symbols", "series", "label indices", "postings", "label offset table",
      "postings offset table", "TOC"
    };
    for (int i = 1; i < order.length; i++) {
      if (order[i] < order[i - 1]) {
        throw Sections.corrupt(
            src, TOC, at + tocField(names[i]),
            names[i] + " offset " + order[i] + " is before " + names[i - 1] + " offset "
                + order[i - 1] + "; sections must lie in file order between the header and the"
                + " TOC");
      }
    }
    return toc;
  }

  // Position of a section's offset within the TOC, for messages.
  private static long tocField(String name) {
    return switch (name) {
      case "symbols" -> 0;
      case "series" -> 8;
      case "label indices" -> 16;
      case "label offset table" -> 24;
      case "postings" -> 32;
      case "postings offset table" -> 40;
      default -> 0;
    };
  }
}
