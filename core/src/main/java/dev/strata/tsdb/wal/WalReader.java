package dev.strata.tsdb.wal;

import static dev.strata.tsdb.wal.WalFormat.LZ4_FLAG;
import static dev.strata.tsdb.wal.WalFormat.PAGE_SIZE;
import static dev.strata.tsdb.wal.WalFormat.RECORD_HEADER_SIZE;
import static dev.strata.tsdb.wal.WalFormat.SNAPPY_FLAG;
import static dev.strata.tsdb.wal.WalFormat.TYPE_FIRST;
import static dev.strata.tsdb.wal.WalFormat.TYPE_FULL;
import static dev.strata.tsdb.wal.WalFormat.TYPE_LAST;
import static dev.strata.tsdb.wal.WalFormat.TYPE_MASK;
import static dev.strata.tsdb.wal.WalFormat.TYPE_MIDDLE;
import static dev.strata.tsdb.wal.WalFormat.TYPE_PAGE_TERM;
import static dev.strata.tsdb.wal.WalFormat.ZSTD_FLAG;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the records of a write-ahead log, segment after segment, checking everything the format
 * lets it check: fragment order, lengths within the page, CRCs, zero padding after a page's
 * terminator, and records left unfinished at the end of a segment.
 *
 * <p>A damaged record raises {@link WalCorruptionException} with the segment and the offset where
 * the damaged record starts; everything returned before it is intact, so a repair can cut the
 * segment there. A segment that simply ends, mid-page, after a complete record is the normal state
 * after a crash or a partial flush and is not an error.
 *
 * <p>Usage: {@code while (r.next()) { use(r.record(), r.recordLength()); }}. The record array is
 * reused by the next call.
 */
public final class WalReader implements Closeable {
  private final Path dir;
  private final List<Integer> segments;
  private final CRC32C crc = new CRC32C();
  private final WalCompression lz4 = new WalCompression();
  private final SnappyDecoder snappy = new SnappyDecoder();
  private final byte[] page = new byte[PAGE_SIZE];

  private int segmentPosition = -1; // position in `segments`
  private FileChannel channel;
  private long pageStart; // file offset of `page`
  private int pageLength; // valid bytes in `page`
  private int pagePos; // next unread byte in `page`

  private byte[] record = new byte[4096];
  private int recordLength;
  private byte[] decompressed = new byte[4096];
  private byte[] current; // record or decompressed
  private int currentLength;
  private int recordSegment;
  private long recordOffset;

  private WalReader(Path dir, List<Integer> segments) {
    this.dir = dir;
    this.segments = segments;
  }

  /** Reads every segment in {@code dir}. */
  public static WalReader open(Path dir) throws IOException {
    return new WalReader(dir, WalFormat.segmentIndexes(dir));
  }

  /** Reads the segments of {@code dir} whose index is in {@code [from, to]}. */
  public static WalReader open(Path dir, int from, int to) throws IOException {
    List<Integer> selected = new ArrayList<>();
    for (int i : WalFormat.segmentIndexes(dir)) {
      if (i >= from && i <= to) {
        selected.add(i);
      }
    }
    return new WalReader(dir, selected);
  }

  /**
   * Advances to the next record.
   *
   * @return false at the end of the last segment
   * @throws WalCorruptionException if a record is damaged
   */
  public boolean next() throws IOException {
    recordLength = 0;
    int fragments = 0;
    int compression = 0;
    while (true) {
      if (pagePos + RECORD_HEADER_SIZE > pageLength || pagePos == PAGE_SIZE) {
        // Past the fragments this page can hold: the next fragment starts on the next page.
        if (!nextPage(fragments > 0)) {
          return false;
        }
      }
      long fragmentOffset = pageStart + pagePos;
      // Damage is reported where the damaged record starts: a repair cuts the whole record.
      long damageOffset = fragments == 0 ? fragmentOffset : recordOffset;
      int header = page[pagePos] & 0xFF;
      int type = header & TYPE_MASK;
      if (type == TYPE_PAGE_TERM) {
        if (fragments > 0) {
          throw corrupt(recordOffset, "record ends with a page terminator in a later page");
        }
        checkZeroPadding(pagePos);
        pagePos = PAGE_SIZE;
        continue;
      }
      if (type > TYPE_LAST) {
        throw corrupt(damageOffset, "unknown fragment type " + type);
      }
      if ((header & ZSTD_FLAG) != 0) {
        throw corrupt(
            damageOffset,
            "record is compressed with zstd (Prometheus 2.51 and later), which Strata does not"
                + " read; uncompressed, Snappy and LZ4 logs are read");
      }
      int length = ((page[pagePos + 1] & 0xFF) << 8) | (page[pagePos + 2] & 0xFF);
      int dataStart = pagePos + RECORD_HEADER_SIZE;
      if (dataStart + length > PAGE_SIZE) {
        throw corrupt(damageOffset, "fragment of " + length + " bytes runs past its page");
      }
      if (dataStart + length > pageLength) {
        throw corrupt(damageOffset, "segment ends inside a fragment (torn write)");
      }
      boolean first = type == TYPE_FULL || type == TYPE_FIRST;
      if (first != (fragments == 0)) {
        throw corrupt(
            damageOffset,
            "unexpected " + WalFormat.typeName(type) + " fragment "
                + (fragments == 0 ? "at the start of a record" : "inside a record"));
      }
      int storedCrc =
          ((page[pagePos + 3] & 0xFF) << 24)
              | ((page[pagePos + 4] & 0xFF) << 16)
              | ((page[pagePos + 5] & 0xFF) << 8)
              | (page[pagePos + 6] & 0xFF);
      crc.reset();
      crc.update(page, dataStart, length);
      if ((int) crc.getValue() != storedCrc) {
        throw corrupt(
            damageOffset,
            String.format(
                "CRC mismatch: stored %08x, computed %08x", storedCrc, (int) crc.getValue()));
      }
      if (fragments == 0) {
        recordOffset = fragmentOffset;
        recordSegment = segments.get(segmentPosition);
        compression = header & (LZ4_FLAG | SNAPPY_FLAG);
      }
      append(page, dataStart, length);
      pagePos = dataStart + length;
      fragments++;
      if (type == TYPE_FULL || type == TYPE_LAST) {
        finish(compression);
        return true;
      }
    }
  }

  private void append(byte[] src, int off, int len) {
    if (recordLength + len > record.length) {
      record = Arrays.copyOf(record, Math.max(record.length * 2, recordLength + len));
    }
    System.arraycopy(src, off, record, recordLength, len);
    recordLength += len;
  }

  private void finish(int flags) throws WalCorruptionException {
    if (flags == 0) {
      current = record;
      currentLength = recordLength;
      return;
    }
    try {
      if ((flags & SNAPPY_FLAG) != 0) {
        snappy.decompress(record, 0, recordLength);
        current = snappy.buffer();
        currentLength = snappy.length();
      } else {
        decompressed = lz4.decompress(record, 0, recordLength, decompressed);
        current = decompressed;
        currentLength = lz4.length();
      }
    } catch (IllegalArgumentException e) {
      throw corrupt(recordOffset, e.getMessage());
    }
  }

  private void checkZeroPadding(int from) throws WalCorruptionException {
    for (int i = from; i < pageLength; i++) {
      if (page[i] != 0) {
        throw corrupt(pageStart + i, "non-zero byte in the padding after a page terminator");
      }
    }
  }

  // Loads the next page of the current segment, or the first page of the next segment.
  private boolean nextPage(boolean insideRecord) throws IOException {
    if (channel != null && pagePos < pageLength && pageLength - pagePos < RECORD_HEADER_SIZE) {
      // Fewer bytes than a header are left in the page: they must be padding.
      checkZeroPadding(pagePos);
    }
    while (true) {
      if (channel != null) {
        long next = pageStart + pageLength;
        if (pageLength == PAGE_SIZE || pageLength == 0) {
          int n = readPage(next);
          if (n > 0) {
            pageStart = next;
            pageLength = n;
            pagePos = 0;
            return true;
          }
        }
        // End of this segment.
        if (insideRecord) {
          throw corrupt(recordOffset, "segment ends inside a record");
        }
        channel.close();
        channel = null;
      }
      if (segmentPosition + 1 >= segments.size()) {
        return false;
      }
      segmentPosition++;
      channel =
          FileChannel.open(
              dir.resolve(WalFormat.segmentName(segments.get(segmentPosition))),
              StandardOpenOption.READ);
      pageStart = 0;
      pageLength = 0;
      pagePos = 0;
      int n = readPage(0);
      if (n > 0) {
        pageLength = n;
        return true;
      }
    }
  }

  private int readPage(long offset) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(page);
    long pos = offset;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, pos);
      if (n < 0) {
        break;
      }
      pos += n;
    }
    return buf.position();
  }

  private WalCorruptionException corrupt(long offset, String reason) {
    int segment = segments.get(Math.max(segmentPosition, 0));
    return new WalCorruptionException(
        dir.resolve(WalFormat.segmentName(segment)), segment, offset, reason);
  }

  /** The current record's bytes, {@code [0, recordLength())}; reused by the next call. */
  public byte[] record() {
    return current;
  }

  /** Length of the current record. */
  public int recordLength() {
    return currentLength;
  }

  /** Segment of the current record. */
  public int segment() {
    return recordSegment;
  }

  /** Offset of the current record's first fragment within its segment. */
  public long offset() {
    return recordOffset;
  }

  /** Segments this reader covers, ascending. */
  public List<Integer> segments() {
    return List.copyOf(segments);
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
