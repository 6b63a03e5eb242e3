package dev.strata.tsdb.encoding;

/**
 * Variable-length integers as Go's {@code encoding/binary} writes them, which is what every
 * Prometheus file format uses: seven bits per byte, least significant group first, the high bit
 * set on every byte but the last. Signed values are zig-zag mapped first, so small negative numbers
 * stay short.
 *
 * <p>Decoding follows Go's rules exactly, because a reader that accepts more than Go does would
 * read files Prometheus rejects, and one that accepts less would reject files Prometheus wrote. In
 * particular a value may take at most ten bytes, and the tenth may only carry the single remaining
 * bit (0 or 1); anything longer or larger is an overflow. Non-minimal encodings (a trailing {@code
 * 0x80 0x00}) are accepted, as Go accepts them.
 *
 * <p>The status convention of {@link #uvarintLength} is Go's: a positive number of bytes read, 0
 * when the input ends inside the value, or minus the number of bytes read when the value overflows.
 * {@link ByteCursor} turns those cases into {@link CorruptDataException}s that say where.
 */
public final class Varint {

  /** Most bytes a 64-bit value takes. */
  public static final int MAX_LEN_64 = 10;

  /** Most bytes a 32-bit value takes. */
  public static final int MAX_LEN_32 = 5;

  private Varint() {}

  /** Bytes {@link #putUvarint} writes for {@code x}, taken as unsigned: 1 to 10. */
  public static int uvarintSize(long x) {
    // Each byte carries 7 bits; a value needs ceil(significantBits / 7) bytes, at least one.
    int bits = 64 - Long.numberOfLeadingZeros(x | 1);
    return (bits + 6) / 7;
  }

  /** Bytes {@link #putVarint} writes for {@code x}: 1 to 10. */
  public static int varintSize(long x) {
    return uvarintSize(zigZag(x));
  }

  /** Maps signed to unsigned so that values near zero, of either sign, become small. */
  public static long zigZag(long x) {
    return (x << 1) ^ (x >> 63);
  }

  /** Inverse of {@link #zigZag}. */
  public static long unZigZag(long u) {
    return (u >>> 1) ^ -(u & 1);
  }

  /**
   * Writes {@code x}, taken as unsigned, at {@code dst[off]}.
   *
   * @return the number of bytes written
   * @throws IndexOutOfBoundsException if the value does not fit before the end of {@code dst}
   */
  public static int putUvarint(byte[] dst, int off, long x) {
    int i = off;
    while ((x & ~0x7FL) != 0) {
      dst[i++] = (byte) (x | 0x80);
      x >>>= 7;
    }
    dst[i++] = (byte) x;
    return i - off;
  }

  /**
   * Writes {@code x} zig-zag encoded at {@code dst[off]}.
   *
   * @return the number of bytes written
   * @throws IndexOutOfBoundsException if the value does not fit before the end of {@code dst}
   */
  public static int putVarint(byte[] dst, int off, long x) {
    return putUvarint(dst, off, zigZag(x));
  }

  /**
   * Go's status for the uvarint starting at {@code src[off]} with readable bytes up to {@code end}
   * (exclusive): the number of bytes it occupies if it is well formed, 0 if {@code end} comes first,
   * or {@code -n} if it overflows 64 bits after {@code n} bytes.
   */
  public static int uvarintLength(byte[] src, int off, int end) {
    int limit = Math.min(end, off + MAX_LEN_64 + 1);
    for (int i = off; i < limit; i++) {
      int n = i - off;
      if (n == MAX_LEN_64) {
        return -(n + 1);
      }
      int b = src[i] & 0xFF;
      if (b < 0x80) {
        if (n == MAX_LEN_64 - 1 && b > 1) {
          return -(n + 1);
        }
        return n + 1;
      }
    }
    return 0;
  }

  /**
   * The value of the uvarint starting at {@code src[off]}, or 0 if it is not well formed (as Go
   * returns); check with {@link #uvarintLength} when the input is not trusted.
   */
  public static long uvarint(byte[] src, int off, int end) {
    int len = uvarintLength(src, off, end);
    if (len <= 0) {
      return 0;
    }
    long x = 0;
    for (int i = 0, shift = 0; i < len; i++, shift += 7) {
      x |= (long) (src[off + i] & 0x7F) << shift;
    }
    return x;
  }

  /** The value of the zig-zag varint starting at {@code src[off]}; 0 if not well formed. */
  public static long varint(byte[] src, int off, int end) {
    return unZigZag(uvarint(src, off, end));
  }
}
