package dev.strata.tsdb.chunks;

import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.encoding.Varint;
import dev.strata.tsdb.fileutil.MappedFile;

/**
 * Locates chunks in the segments of a {@link ChunkSegmentReader}: by reference ({@link #seek}) or
 * one after another in file order ({@link #scan} then {@link #next}). The current chunk is
 * described by primitive accessors — encoding byte, and the position and length of its data within
 * {@link #source()} — so that reading a chunk allocates nothing and copies nothing.
 *
 * <p>Positioning checks that the chunk's length field is well formed and that the chunk, CRC
 * included, lies inside its file; {@link #verify()} additionally checks the CRC. Every failure is a
 * {@link CorruptDataException} naming the segment file, the part of the chunk at fault ({@code
 * chunk reference}, {@code chunk length}, {@code chunk data}, {@code chunk CRC}) and, as offset,
 * where the chunk starts: the offset its reference holds.
 *
 * <p>Not thread-safe; each thread takes its own cursor from the reader.
 */
public final class ChunkCursor {
  private final ChunkSegmentReader reader;
  // Room for the longest length field Prometheus accepts plus the encoding byte.
  private final byte[] head =
      new byte[ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE + ChunkSegmentFormat.ENCODING_SIZE];

  private MappedFile file;
  private int segment = -1;
  private long offset = -1;
  private byte encoding;
  private long dataPosition;
  private int dataLength;
  private long next;

  ChunkCursor(ChunkSegmentReader reader) {
    this.reader = reader;
  }

  /**
   * Moves to the chunk at {@code ref}. A following {@link #next()} continues with the chunk after
   * it in the same segment.
   *
   * @throws CorruptDataException if the reference points outside the segments or the chunk there
   *     is malformed or truncated
   */
  public ChunkCursor seek(long ref) {
    MappedFile target = reader.segmentForRef(ref);
    long at = ChunkRef.offset(ref);
    if (at < ChunkSegmentFormat.HEADER_SIZE || at >= target.length()) {
      throw new CorruptDataException(
          target.description(),
          "chunk reference",
          at,
          "reference " + ChunkRef.toString(ref) + " points outside the chunks of the file, which"
              + " lie in [" + ChunkSegmentFormat.HEADER_SIZE + ", " + target.length() + ")");
    }
    file = target;
    segment = ChunkRef.segmentIndex(ref);
    next = at; // should the chunk be malformed, next() fails on it again rather than elsewhere
    locate(at);
    return this;
  }

  /** Positions before the first chunk of segment {@code segmentIndex}; continue with {@link #next}. */
  public ChunkCursor scan(int segmentIndex) {
    file = reader.segment(segmentIndex);
    segment = segmentIndex;
    offset = -1;
    next = ChunkSegmentFormat.HEADER_SIZE;
    return this;
  }

  /**
   * Moves to the next chunk of the current segment in file order.
   *
   * @return false at the end of the segment
   * @throws CorruptDataException if the next chunk is malformed or cut off by the end of the file
   */
  public boolean next() {
    if (file == null) {
      throw new IllegalStateException("position the cursor with scan() or seek() first");
    }
    if (next >= file.length()) {
      return false;
    }
    locate(next);
    return true;
  }

  private void locate(long at) {
    offset = -1; // until the chunk is known to be well formed
    long available = file.length() - at;
    int window = (int) Math.min(head.length, available);
    file.read(at, head, 0, window);
    int fieldEnd = Math.min(window, ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE);
    int fieldSize = Varint.uvarintLength(head, 0, fieldEnd);
    if (fieldSize <= 0) {
      throw corrupt(
          "chunk length",
          at,
          fieldEnd < ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE
              ? "the file ends at offset " + file.length() + ", inside the length field"
              : "the length field is longer than " + ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE
                  + " bytes");
    }
    long length = Varint.uvarint(head, 0, fieldEnd);
    long dataStart = at + fieldSize + ChunkSegmentFormat.ENCODING_SIZE;
    long dataEnd = dataStart + length;
    long end = dataEnd + ChunkSegmentFormat.CRC_SIZE;
    if (end > file.length()) {
      boolean dataCut = dataEnd > file.length();
      throw corrupt(
          dataCut ? "chunk data" : "chunk CRC",
          at,
          "a chunk of " + length + " data bytes needs the file to extend to offset " + end
              + " but it ends at " + file.length()
              + (dataCut ? " (the data is cut off)" : " (the CRC is cut off)"));
    }
    if (length > Integer.MAX_VALUE) {
      throw corrupt("chunk length", at, "chunk data length " + length + " exceeds 2 GiB");
    }
    offset = at;
    encoding = head[fieldSize];
    dataPosition = dataStart;
    dataLength = (int) length;
    next = end;
  }

  /**
   * Checks the current chunk's CRC32-Castagnoli, computed over its encoding byte and data.
   *
   * @throws CorruptDataException if it does not match the stored one
   */
  public ChunkCursor verify() {
    checkPositioned();
    long covered = dataPosition - ChunkSegmentFormat.ENCODING_SIZE;
    int computed = file.crc32c(covered, dataLength + (long) ChunkSegmentFormat.ENCODING_SIZE);
    int stored = storedCrc();
    if (computed != stored) {
      throw corrupt(
          "chunk CRC",
          offset,
          String.format(
              "stored CRC32C %08x at offset %d does not match %08x computed over the encoding"
                  + " byte and %d data bytes",
              stored, dataPosition + dataLength, computed, dataLength));
    }
    return this;
  }

  /** The CRC stored after the current chunk's data. */
  public int storedCrc() {
    checkPositioned();
    return file.readInt(dataPosition + dataLength);
  }

  private void checkPositioned() {
    if (offset < 0) {
      throw new IllegalStateException("the cursor is not on a chunk");
    }
  }

  private CorruptDataException corrupt(String section, long at, String reason) {
    return new CorruptDataException(file.description(), section, at, reason);
  }

  /** Reference of the current chunk. */
  public long ref() {
    checkPositioned();
    return ChunkRef.of(segment, offset);
  }

  /** 0-based index of the current segment. */
  public int segmentIndex() {
    return segment;
  }

  /** Offset of the current chunk (its length field) in the segment file. */
  public long offset() {
    return offset;
  }

  /** Encoding byte of the current chunk (see {@code ChunkEncoding}); not interpreted here. */
  public byte encoding() {
    return encoding;
  }

  /** The mapped segment file holding the current chunk. */
  public MappedFile source() {
    return file;
  }

  /** Position of the current chunk's data in {@link #source()}. */
  public long dataPosition() {
    return dataPosition;
  }

  /** Length of the current chunk's data. */
  public int dataLength() {
    return dataLength;
  }

  /** Offset just past the current chunk's CRC: where the next chunk starts. */
  public long endOffset() {
    return next;
  }
}
