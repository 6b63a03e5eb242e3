package dev.strata.tier.store;

import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.fileutil.FileSync;
import dev.strata.tsdb.fileutil.MappedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The parts of a block's index that every query needs, kept on local disk: the header and symbol
 * table ({@code [0, series)}) and the postings offset table with the TOC ({@code [postings table,
 * end)}). Built once per block from three ranged reads (never the whole index), then mapped; the
 * rest of the index (series, postings lists) stays in the bucket and is read by range.
 *
 * <p>File layout (Strata's own, local only): magic {@code STRIDXH1}, the index length, the number
 * of ranges and each range's start and end in the index, the ranges' bytes, and a CRC32C of all
 * that. A file that fails the check is rebuilt.
 *
 * <p>From the postings offset table it also keeps the offset of every postings list: in table
 * order (name, value), to find the lists a matcher needs before reading them, and sorted, to know
 * where each list ends (where the next begins).
 */
final class IndexHeader implements ByteSource, AutoCloseable {
  static final String FILE_NAME = "index-header";
  private static final byte[] MAGIC = "STRIDXH1".getBytes(StandardCharsets.US_ASCII);
  static final int TOC_SIZE = 6 * 8 + 4;

  private final MappedFile file;
  private final long indexLength;
  private final long[] starts;
  private final long[] ends;
  private final long[] fileOffsets;
  final Toc toc;
  // Postings lists in table order; names[i]'s lists are [nameStart[i], nameStart[i + 1]).
  private final String[] names;
  private final int[] nameStart;
  private final long[] tableOffsets;
  private final long[] sortedOffsets;

  /** The index's table of contents. */
  record Toc(long symbols, long series, long labelIndices, long labelOffsetTable, long postings,
      long postingsTable) {}

  private IndexHeader(MappedFile file, long indexLength, long[] starts, long[] ends, long[] fileOffsets) {
    this.file = file;
    this.indexLength = indexLength;
    this.starts = starts;
    this.ends = ends;
    this.fileOffsets = fileOffsets;
    this.toc = readToc(this, indexLength);
    List<String> nameList = new ArrayList<>();
    List<Integer> startList = new ArrayList<>();
    long[] offsets = parseTable(nameList, startList);
    this.names = nameList.toArray(new String[0]);
    this.nameStart = new int[names.length + 1];
    for (int i = 0; i < names.length; i++) {
      nameStart[i] = startList.get(i);
    }
    nameStart[names.length] = offsets.length;
    this.tableOffsets = offsets;
    this.sortedOffsets = offsets.clone();
    Arrays.sort(sortedOffsets);
  }

  /** Opens the header file in {@code dir}, building it first if it is missing or damaged. */
  static IndexHeader openOrBuild(Path dir, Bucket bucket, String indexKey, long indexLength,
      RangeFetcher fetcher) throws IOException {
    Path path = dir.resolve(FILE_NAME);
    if (Files.exists(path)) {
      try {
        IndexHeader h = open(path);
        if (h.indexLength == indexLength) {
          return h;
        }
        h.close();
      } catch (IOException | RuntimeException e) {
        // damaged or from another version of the index: build it again
      }
    }
    Files.createDirectories(dir);
    build(path, bucket, indexKey, indexLength, fetcher);
    return open(path);
  }

  static IndexHeader open(Path path) throws IOException {
    MappedFile f = MappedFile.open(path);
    try {
      if (f.length() < 8 + 8 + 4 + 4) {
        throw new CorruptDataException(path.toString(), "index header", 0, "file is too short");
      }
      byte[] magic = new byte[8];
      f.read(0, magic, 0, 8);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CorruptDataException(path.toString(), "index header", 0, "wrong magic");
      }
      int stored = f.readInt(f.length() - 4);
      if (f.crc32c(0, f.length() - 4) != stored) {
        throw new CorruptDataException(path.toString(), "index header", f.length() - 4, "CRC mismatch");
      }
      long indexLength = f.readLong(8);
      int n = f.readInt(16);
      long[] starts = new long[n];
      long[] ends = new long[n];
      long[] fileOffsets = new long[n];
      long at = 20 + 16L * n;
      for (int i = 0; i < n; i++) {
        starts[i] = f.readLong(20 + 16L * i);
        ends[i] = f.readLong(28 + 16L * i);
        fileOffsets[i] = at;
        at += ends[i] - starts[i];
      }
      if (at != f.length() - 4) {
        throw new CorruptDataException(path.toString(), "index header", at, "ranges do not fill the file");
      }
      return new IndexHeader(f, indexLength, starts, ends, fileOffsets);
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  // Reads the TOC, then the two ranges, straight into a temporary file renamed into place.
  private static void build(Path path, Bucket bucket, String indexKey, long indexLength,
      RangeFetcher fetcher) throws IOException {
    if (indexLength < 5 + TOC_SIZE) {
      throw new CorruptDataException(bucket.name() + "/" + indexKey, "TOC", 0,
          "index of " + indexLength + " bytes is too short");
    }
    RangeCache.Segment tocBytes = fetcher.one(indexKey,
        new RangeFetcher.Range(indexLength - TOC_SIZE, indexLength));
    Toc toc = parseToc(tocBytes.bytes(), bucket.name() + "/" + indexKey, indexLength);
    long[][] ranges = {{0, toc.series()}, {toc.postingsTable(), indexLength}};
    Path tmp = path.resolveSibling(FILE_NAME + ".tmp");
    CRC32C crc = new CRC32C();
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer head = ByteBuffer.allocate(20 + 16 * ranges.length);
      head.put(MAGIC).putLong(indexLength).putInt(ranges.length);
      for (long[] r : ranges) {
        head.putLong(r[0]).putLong(r[1]);
      }
      write(ch, head.array(), head.position(), crc);
      byte[] buf = new byte[256 << 10];
      for (long[] r : ranges) {
        long want = r[1] - r[0];
        long got = 0;
        try (InputStream in = bucket.getRange(indexKey, r[0], want)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            write(ch, buf, n, crc);
            got += n;
          }
        }
        fetcher.count(got);
        if (got != want) {
          throw new IOException("index " + indexKey + " ended early: " + got + " of " + want + " bytes");
        }
      }
      ByteBuffer tail = ByteBuffer.allocate(4).putInt((int) crc.getValue());
      tail.flip();
      ch.write(tail);
      ch.force(true);
    }
    FileSync.atomicRename(tmp, path);
  }

  private static void write(FileChannel ch, byte[] b, int n, CRC32C crc) throws IOException {
    crc.update(b, 0, n);
    ByteBuffer bb = ByteBuffer.wrap(b, 0, n);
    while (bb.hasRemaining()) {
      ch.write(bb);
    }
  }

  static Toc parseToc(byte[] b, String source, long indexLength) {
    ByteBuffer bb = ByteBuffer.wrap(b);
    long[] v = new long[6];
    for (int i = 0; i < 6; i++) {
      v[i] = bb.getLong();
    }
    CRC32C crc = new CRC32C();
    crc.update(b, 0, 48);
    if ((int) crc.getValue() != bb.getInt()) {
      throw new CorruptDataException(source, "TOC", indexLength - TOC_SIZE, "TOC CRC mismatch");
    }
    Toc toc = new Toc(v[0], v[1], v[2], v[3], v[4], v[5]);
    if (toc.series() > indexLength || toc.postingsTable() > indexLength - TOC_SIZE
        || toc.postings() > toc.labelOffsetTable() || toc.series() > toc.labelIndices()) {
      throw new CorruptDataException(source, "TOC", indexLength - TOC_SIZE, "offsets out of order");
    }
    return toc;
  }

  private static Toc readToc(IndexHeader h, long indexLength) {
    byte[] b = new byte[TOC_SIZE];
    h.read(indexLength - TOC_SIZE, b, 0, TOC_SIZE);
    return parseToc(b, h.description(), indexLength);
  }

  // Entries: key count (2), name, value, postings offset; grouped by name in file order.
  private long[] parseTable(List<String> nameOut, List<Integer> startOut) {
    ByteCursor c = new ByteCursor(this, "postings offset table", 64 << 10);
    long tableEnd;
    c.range(toc.postingsTable(), indexLength - TOC_SIZE, "postings offset table");
    long len = c.readUnsignedBE32();
    tableEnd = c.position() + len;
    c.range(c.position(), tableEnd, "postings offset table");
    long n = c.readUnsignedBE32();
    if (n > len / 4) {
      throw c.corrupt("entry count " + n + " does not fit the table");
    }
    long[] offsets = new long[(int) n];
    Map<String, String> interned = new HashMap<>();
    String prev = null;
    byte[] buf = new byte[256];
    for (int i = 0; i < n; i++) {
      c.readUvarint(); // key count
      int nameLen = c.readUvarintLength();
      if (buf.length < nameLen) {
        buf = new byte[nameLen * 2];
      }
      c.readBytes(buf, 0, nameLen);
      String name = new String(buf, 0, nameLen, StandardCharsets.UTF_8);
      c.skip(c.readUvarintLength());
      offsets[i] = c.readUvarint();
      if (!name.equals(prev)) {
        nameOut.add(interned.computeIfAbsent(name, k -> k));
        startOut.add(i);
        prev = name;
      }
    }
    return offsets;
  }

  long indexLength() {
    return indexLength;
  }

  /** Bytes of the header file on disk. */
  long fileBytes() {
    return file.length();
  }

  /** Whether {@code [pos, pos + len)} lies in one range kept here. */
  boolean covers(long pos, int len) {
    return rangeOf(pos, len) >= 0;
  }

  private int rangeOf(long pos, int len) {
    for (int i = 0; i < starts.length; i++) {
      if (pos >= starts[i] && pos + len <= ends[i]) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public long length() {
    return indexLength;
  }

  @Override
  public void read(long position, byte[] dst, int dstOffset, int len) {
    int r = rangeOf(position, len);
    if (r < 0) {
      throw new IndexOutOfBoundsException("[" + position + ", " + (position + len)
          + ") of the index is not in its local header");
    }
    file.read(fileOffsets[r] + position - starts[r], dst, dstOffset, len);
  }

  @Override
  public String description() {
    return file.description();
  }

  /** Postings lists of {@code name} in value order; empty if no series has the label. */
  long[] listOffsets(String name) {
    int i = Arrays.binarySearch(names, name, dev.strata.tsdb.labels.Utf8Order.COMPARATOR);
    if (i < 0) {
      return new long[0];
    }
    return Arrays.copyOfRange(tableOffsets, nameStart[i], nameStart[i + 1]);
  }

  /** The extent of the postings list starting at or covering {@code pos}: up to the next list. */
  long[] listExtent(long pos) {
    int i = Arrays.binarySearch(sortedOffsets, pos);
    if (i < 0) {
      i = -i - 2; // the list starting before pos
    }
    if (i < 0) {
      return new long[] {toc.postings(), sortedOffsets.length > 0 ? sortedOffsets[0] : toc.labelOffsetTable()};
    }
    long end = i + 1 < sortedOffsets.length ? sortedOffsets[i + 1] : toc.labelOffsetTable();
    return new long[] {sortedOffsets[i], end};
  }

  @Override
  public void close() {
    file.close();
  }
}
