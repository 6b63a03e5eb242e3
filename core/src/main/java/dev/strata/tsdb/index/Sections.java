package dev.strata.tsdb.index;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.fileutil.MappedFile;
import java.util.zip.CRC32C;

/**
 * Reading the framing shared by most parts of the index: a 4-byte length, content, a CRC32C of the
 * content. Every bound is checked against the enclosing region before a cursor is pointed at it,
 * so a wrong length becomes a {@link CorruptDataException} saying which section it belongs to.
 */
final class Sections {
  private Sections() {}

  static CorruptDataException corrupt(
      ByteSource src, String section, long offset, String reason) {
    return new CorruptDataException(src.description(), section, offset, reason);
  }

  /**
   * Points {@code c} at the content of the section whose length field is at {@code off}, which
   * with its CRC must end by {@code limit}.
   *
   * @return the offset of the CRC, just after the content
   */
  static long open(ByteCursor c, long off, long limit, String section) {
    ByteSource src = c.source();
    if (off < 0 || off > limit - 8) {
      throw corrupt(
          src, section, off,
          "starts at offset " + off + ", which leaves no room for its length and CRC before offset "
              + limit);
    }
    c.range(off, limit, section);
    long len = c.readUnsignedBE32();
    long end = off + 4 + len;
    if (len > limit - off - 8) {
      throw corrupt(
          src, section, off,
          "length " + len + " runs past offset " + limit + " (content would end at " + end
              + " and its CRC at " + (end + 4) + ")");
    }
    c.range(off + 4, end, section);
    return end;
  }

  /** Checks that the 4 bytes at {@code to} hold the CRC32C of {@code [from, to)}. */
  static void checkCrc(ByteSource src, String section, long from, long to) {
    int actual = crc32c(src, from, to - from);
    byte[] b = new byte[4];
    src.read(to, b, 0, 4);
    int stored = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    if (actual != stored) {
      throw corrupt(
          src, section, to,
          String.format(
              "CRC32C mismatch: stored 0x%08X, computed 0x%08X over [%d, %d)",
              stored, actual, from, to));
    }
  }

  static int crc32c(ByteSource src, long from, long len) {
    if (src instanceof MappedFile m) {
      return m.crc32c(from, len);
    }
    CRC32C crc = new CRC32C();
    byte[] buf = new byte[(int) Math.min(len, 64 << 10)];
    while (len > 0) {
      int n = (int) Math.min(len, buf.length);
      src.read(from, buf, 0, n);
      crc.update(buf, 0, n);
      from += n;
      len -= n;
    }
    return (int) crc.getValue();
  }

  /** Checks that {@code [from, to)} holds only zero bytes, as padding must. */
  static void checkZeros(ByteCursor c, long from, long to, String section) {
    c.range(from, to, section);
    while (c.hasRemaining()) {
      long at = c.position();
      int b = c.readUnsignedByte();
      if (b != 0) {
        throw c.corruptAt(at, "padding byte is 0x" + Integer.toHexString(b) + ", not zero");
      }
    }
  }
}
