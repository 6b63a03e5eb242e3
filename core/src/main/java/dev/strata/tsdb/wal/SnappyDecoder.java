package dev.strata.tsdb.wal;

import java.util.Arrays;

/**
 * Decompresses Snappy blocks (the block format, not the framed one): how Prometheus compresses
 * WAL records by default. Written from the public format description: a uvarint of the
 * uncompressed length, then elements, each a literal run or a copy of earlier output (offset and
 * length, possibly overlapping its own output). Every length and offset is checked, so damaged
 * input raises an {@link IllegalArgumentException} instead of reading or writing out of bounds.
 */
final class SnappyDecoder {
  private byte[] out = new byte[4096];
  private int length;

  /** The array holding the last result, {@code [0, length())}. */
  byte[] buffer() {
    return out;
  }

  int length() {
    return length;
  }

  /** Decompresses {@code src[off, off + len)} into the internal buffer. */
  void decompress(byte[] src, int off, int len) {
    int end = off + len;
    int p = off;
    long size = 0;
    int shift = 0;
    while (true) {
      if (p >= end || shift > 28) {
        throw new IllegalArgumentException("bad Snappy length preamble");
      }
      int b = src[p++] & 0xFF;
      size |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        break;
      }
      shift += 7;
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("Snappy block claims " + size + " bytes");
    }
    if (out.length < size) {
      out = new byte[(int) Math.max(size, out.length * 2L)];
    }
    byte[] dst = out;
    int d = 0;
    while (p < end) {
      int tag = src[p++] & 0xFF;
      int kind = tag & 3;
      if (kind == 0) { // literal
        int n = tag >>> 2;
        if (n >= 60) {
          int bytes = n - 59;
          if (p + bytes > end) {
            throw new IllegalArgumentException("truncated Snappy literal length");
          }
          n = 0;
          for (int i = 0; i < bytes; i++) {
            n |= (src[p++] & 0xFF) << (8 * i);
          }
          if (n < 0) {
            throw new IllegalArgumentException("Snappy literal too long");
          }
        }
        n += 1;
        if (n > end - p || n > size - d) {
          throw new IllegalArgumentException("Snappy literal of " + n + " bytes runs past the block");
        }
        System.arraycopy(src, p, dst, d, n);
        p += n;
        d += n;
        continue;
      }
      int n;
      int offset;
      if (kind == 1) {
        if (p >= end) {
          throw new IllegalArgumentException("truncated Snappy copy");
        }
        n = 4 + ((tag >>> 2) & 7);
        offset = ((tag >>> 5) << 8) | (src[p++] & 0xFF);
      } else if (kind == 2) {
        if (p + 2 > end) {
          throw new IllegalArgumentException("truncated Snappy copy");
        }
        n = 1 + (tag >>> 2);
        offset = (src[p] & 0xFF) | (src[p + 1] & 0xFF) << 8;
        p += 2;
      } else {
        if (p + 4 > end) {
          throw new IllegalArgumentException("truncated Snappy copy");
        }
        n = 1 + (tag >>> 2);
        offset = (src[p] & 0xFF) | (src[p + 1] & 0xFF) << 8 | (src[p + 2] & 0xFF) << 16
            | (src[p + 3] & 0xFF) << 24;
        p += 4;
      }
      if (offset <= 0 || offset > d || n > size - d) {
        throw new IllegalArgumentException(
            "Snappy copy of " + n + " bytes from offset " + offset + " at output " + d + " is invalid");
      }
      if (offset >= n) {
        System.arraycopy(dst, d - offset, dst, d, n);
      } else {
        for (int i = 0; i < n; i++) { // overlapping: the copy repeats its own output
          dst[d + i] = dst[d - offset + i];
        }
      }
      d += n;
    }
    if (d != size) {
      throw new IllegalArgumentException("Snappy block decoded to " + d + " bytes, expected " + size);
    }
    length = d;
  }

  /** Releases a very large buffer after an unusually large record. */
  void trim() {
    if (out.length > (4 << 20)) {
      out = Arrays.copyOf(out, 4096);
    }
  }
}
