package dev.strata.tsdb.chunkenc;

import java.io.ByteArrayOutputStream;

/**
 * A deliberately naive XOR encoder, written bit by bit from the format description, used as the
 * model the fast {@link XorChunkAppender} must match byte for byte.
 *
 * <p>Its bit stream behaves like the format's reference writer: a whole-byte write (varint bytes,
 * and every complete byte of a multi-bit write) leaves a fresh, empty byte behind it when it ends on
 * a byte boundary, and that byte belongs to the chunk until later bits fill it.
 */
final class ReferenceXorEncoder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int current; // bits of the byte being filled
  private int filled; // bits used in current
  private boolean emptyByteOpen; // a whole-byte write ended on a boundary and opened an empty byte
  private int count;
  private long t;
  private long tDelta;
  private long value;
  private int leading = -1; // -1: no window yet
  private int trailing;

  void append(long ts, long bits) {
    if (count == 0) {
      long zz = (ts << 1) ^ (ts >> 63);
      uvarint(zz);
      bits(bits, 64);
    } else if (count == 1) {
      tDelta = ts - t;
      uvarint(tDelta);
      value(bits);
    } else {
      long delta = ts - t;
      long dod = delta - tDelta;
      tDelta = delta;
      if (dod == 0) {
        bit(0);
      } else if (fits(dod, 14)) {
        bit(1);
        bit(0);
        bits(dod, 14);
      } else if (fits(dod, 17)) {
        bit(1);
        bit(1);
        bit(0);
        bits(dod, 17);
      } else if (fits(dod, 20)) {
        bit(1);
        bit(1);
        bit(1);
        bit(0);
        bits(dod, 20);
      } else {
        bit(1);
        bit(1);
        bit(1);
        bit(1);
        bits(dod, 64);
      }
      value(bits);
    }
    t = ts;
    value = bits;
    count++;
  }

  /** Emulates re-opening: a chunk with samples but no window yet decodes to window 0/0. */
  void reopen() {
    if (count > 0 && leading < 0) {
      leading = 0;
      trailing = 0;
    }
  }

  private static boolean fits(long x, int n) {
    return x >= -((1L << (n - 1)) - 1) && x <= (1L << (n - 1));
  }

  private void value(long bits) {
    long x = bits ^ value;
    if (x == 0) {
      bit(0);
      return;
    }
    bit(1);
    int lz = Math.min(Long.numberOfLeadingZeros(x), 31);
    int tz = Long.numberOfTrailingZeros(x);
    if (leading >= 0 && lz >= leading && tz >= trailing) {
      bit(0);
      bits(x >>> trailing, 64 - leading - trailing);
    } else {
      leading = lz;
      trailing = tz;
      bit(1);
      bits(lz, 5);
      int sig = 64 - lz - tz;
      bits(sig == 64 ? 0 : sig, 6);
      bits(x >>> tz, sig);
    }
  }

  private void uvarint(long x) {
    while (Long.compareUnsigned(x, 0x80) >= 0) {
      wholeByte((int) ((x & 0x7F) | 0x80));
      x >>>= 7;
    }
    wholeByte((int) x);
  }

  // Multi-bit writes go out as whole bytes first, then single bits.
  private void bits(long v, int n) {
    int i = n - 1;
    for (; i >= 7; i -= 8) {
      wholeByte((int) (v >>> (i - 7)) & 0xFF);
    }
    for (; i >= 0; i--) {
      bit((int) (v >>> i) & 1);
    }
  }

  private void wholeByte(int b) {
    for (int i = 7; i >= 0; i--) {
      bit((b >>> i) & 1);
    }
    emptyByteOpen = filled == 0;
  }

  private void bit(int b) {
    emptyByteOpen = false;
    current = (current << 1) | b;
    if (++filled == 8) {
      out.write(current);
      current = 0;
      filled = 0;
    }
  }

  byte[] bytes() {
    byte[] body = out.toByteArray();
    int extra = filled > 0 || emptyByteOpen ? 1 : 0;
    byte[] chunk = new byte[2 + body.length + extra];
    chunk[0] = (byte) (count >>> 8);
    chunk[1] = (byte) count;
    System.arraycopy(body, 0, chunk, 2, body.length);
    if (extra == 1) {
      chunk[chunk.length - 1] = (byte) (current << (8 - filled));
    }
    return chunk;
  }
}
