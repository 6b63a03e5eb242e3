package dev.strata.tsdb.encoding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reads a range of a {@link ByteSource} front to back: fixed-width big-endian integers, Go-style
 * varints ({@link Varint}) and raw bytes. Anything that does not fit the range (a field cut off by
 * the end, a varint overflowing 64 bits) raises a {@link CorruptDataException} naming the source,
 * the current section and the offset of the field, so format readers only add the checks that are
 * specific to their format.
 *
 * <p>Bytes are copied from the source through a small window, so decoding is a loop over a {@code
 * byte[]} and a memory-mapped file is touched once per window rather than once per field. A {@link
 * ByteArraySource} is decoded in place, without the window.
 *
 * <p>Not thread-safe: one cursor per reading thread. Repositioning ({@link #range}, {@link
 * #position(long)}) allocates nothing, so a cursor can be reused across records.
 */
public final class ByteCursor {
  private static final VarHandle SHORT_BE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Default window size: a few pages, so that one copy serves many small fields. */
  public static final int DEFAULT_WINDOW = 4096;

  // One more than the longest varint, to tell an overflow (an 11th byte exists) from a truncation
  // (the range ends after 10 continuation bytes) exactly as Go does.
  private static final int VARINT_LOOKAHEAD = Varint.MAX_LEN_64 + 1;

  private final ByteSource source;
  private final boolean inPlace;
  private byte[] buf;
  // Source position of buf[0]; for an in-place array it is minus the array offset of the source.
  private long bufBase;
  private int idx;
  private int lim;
  private long start;
  private long end;
  private String section;

  /** A cursor over the whole of {@code source}, with the default window. */
  public ByteCursor(ByteSource source, String section) {
    this(source, section, DEFAULT_WINDOW);
  }

  /** A cursor over the whole of {@code source}; {@code window} bytes are copied at a time. */
  public ByteCursor(ByteSource source, String section, int window) {
    this.source = Objects.requireNonNull(source, "source");
    if (source instanceof ByteArraySource array) {
      inPlace = true;
      buf = array.array();
      bufBase = -array.arrayOffset();
    } else {
      inPlace = false;
      if (window < VARINT_LOOKAHEAD) {
        throw new IllegalArgumentException("window " + window + " is below " + VARINT_LOOKAHEAD);
      }
      buf = new byte[window];
    }
    range(0, source.length(), section);
  }

  /** A cursor over a whole array; errors name it {@code description}. */
  public static ByteCursor of(byte[] bytes, String description, String section) {
    return new ByteCursor(new ByteArraySource(bytes, description), section);
  }

  /**
   * Restricts reading to {@code [start, end)} of the source, positioned at {@code start}; reads
   * past {@code end} are reported as truncation of {@code section}.
   *
   * @throws IndexOutOfBoundsException if the range is not within the source
   */
  public ByteCursor range(long start, long end, String section) {
    long length = source.length();
    if (start < 0 || start > end || end > length) {
      throw new IndexOutOfBoundsException(
          "range [" + start + ", " + end + ") is outside " + source.description() + " (length "
              + length + ")");
    }
    this.start = start;
    this.end = end;
    this.section = Objects.requireNonNull(section, "section");
    if (inPlace) {
      lim = (int) (end - bufBase);
      idx = (int) (start - bufBase);
    } else {
      bufBase = start;
      idx = 0;
      lim = 0;
    }
    return this;
  }

  /** Names the part of the format being read, for error messages. */
  public ByteCursor section(String section) {
    this.section = Objects.requireNonNull(section, "section");
    return this;
  }

  public String section() {
    return section;
  }

  public ByteSource source() {
    return source;
  }

  /** Position in the source of the next byte to read. */
  public long position() {
    return bufBase + idx;
  }

  /** Moves to {@code pos} within the current range. */
  public ByteCursor position(long pos) {
    if (pos < start || pos > end) {
      throw new IndexOutOfBoundsException(
          "position " + pos + " is outside the range [" + start + ", " + end + ") of "
              + source.description());
    }
    if (inPlace) {
      idx = (int) (pos - bufBase);
    } else if (pos >= bufBase && pos <= bufBase + lim) {
      idx = (int) (pos - bufBase);
    } else {
      bufBase = pos;
      idx = 0;
      lim = 0;
    }
    return this;
  }

  /** Bytes left before the end of the range. */
  public long remaining() {
    return end - position();
  }

  public boolean hasRemaining() {
    return position() < end;
  }

  /** End of the range (exclusive). */
  public long end() {
    return end;
  }

  /** An exception about the field at the current position. */
  public CorruptDataException corrupt(String reason) {
    return corruptAt(position(), reason);
  }

  /** An exception about the field at {@code offset} of the source. */
  public CorruptDataException corruptAt(long offset, String reason) {
    return new CorruptDataException(source.description(), section, offset, reason);
  }

  // Makes n bytes available in buf at idx (n <= window), or fails because the range ends first.
  private void require(int n) {
    if (lim - idx >= n) {
      return;
    }
    long pos = position();
    if (end - pos < n) {
      throw truncated(pos, n);
    }
    refill(pos, n);
  }

  private void refill(long pos, int atLeast) {
    int len = (int) Math.min(buf.length, end - pos);
    if (len < atLeast) {
      throw truncated(pos, atLeast);
    }
    source.read(pos, buf, 0, len);
    bufBase = pos;
    idx = 0;
    lim = len;
  }

  private CorruptDataException truncated(long pos, long needed) {
    return corruptAt(
        pos,
        "truncated: " + needed + " bytes needed but only " + (end - pos) + " left before offset "
            + end);
  }

  public int readUnsignedByte() {
    require(1);
    return buf[idx++] & 0xFF;
  }

  public byte readByte() {
    require(1);
    return buf[idx++];
  }

  public int readUnsignedBE16() {
    require(2);
    int v = (short) SHORT_BE.get(buf, idx) & 0xFFFF;
    idx += 2;
    return v;
  }

  public int readBE32() {
    require(4);
    int v = (int) INT_BE.get(buf, idx);
    idx += 4;
    return v;
  }

  public long readUnsignedBE32() {
    return readBE32() & 0xFFFF_FFFFL;
  }

  public long readBE64() {
    require(8);
    long v = (long) LONG_BE.get(buf, idx);
    idx += 8;
    return v;
  }

  /** An unsigned varint; the result is a 64-bit pattern (compare with {@code Long.compareUnsigned}). */
  public long readUvarint() {
    if (lim - idx < VARINT_LOOKAHEAD && !inPlace) {
      long pos = position();
      if (end > pos) {
        refill(pos, 1);
      }
    }
    int i = idx;
    int stop = Math.min(lim, i + Varint.MAX_LEN_64);
    long x = 0;
    for (int shift = 0; i < stop; shift += 7) {
      int b = buf[i++];
      if (b >= 0) {
        if (shift == 63 && b > 1) {
          throw overflow();
        }
        idx = i;
        return x | ((long) b << shift);
      }
      x |= (long) (b & 0x7F) << shift;
    }
    if (i - idx == Varint.MAX_LEN_64 && i < lim) {
      throw overflow();
    }
    throw corrupt("truncated varint: the range ends at offset " + end);
  }

  private CorruptDataException overflow() {
    return corrupt("varint overflows 64 bits");
  }

  /** A zig-zag encoded signed varint. */
  public long readVarint() {
    return Varint.unZigZag(readUvarint());
  }

  /** An unsigned varint that must fit in 32 bits, returned as the same 32-bit pattern. */
  public int readUvarint32() {
    long pos = position();
    long v = readUvarint();
    if ((v >>> 32) != 0) {
      throw corruptAt(pos, "varint " + Long.toUnsignedString(v) + " does not fit in 32 bits");
    }
    return (int) v;
  }

  /** An unsigned varint used as a length or count: must be at most {@code Integer.MAX_VALUE}. */
  public int readUvarintLength() {
    long pos = position();
    long v = readUvarint();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw corruptAt(pos, "length " + Long.toUnsignedString(v) + " is larger than 2^31 - 1");
    }
    return (int) v;
  }

  /** Copies the next {@code len} bytes into {@code dst}. */
  public void readBytes(byte[] dst, int off, int len) {
    Objects.checkFromIndexSize(off, len, dst.length);
    int buffered = lim - idx;
    if (len <= buffered) {
      System.arraycopy(buf, idx, dst, off, len);
      idx += len;
      return;
    }
    long pos = position();
    if (end - pos < len) {
      throw truncated(pos, len);
    }
    // inPlace never gets here: its buffer already extends to the end of the range.
    System.arraycopy(buf, idx, dst, off, buffered);
    source.read(pos + buffered, dst, off + buffered, len - buffered);
    bufBase = pos + len;
    idx = 0;
    lim = 0;
  }

  /** Skips {@code n} bytes. */
  public void skip(long n) {
    long pos = position();
    if (n < 0 || end - pos < n) {
      throw truncated(pos, n);
    }
    position(pos + n);
  }
}
