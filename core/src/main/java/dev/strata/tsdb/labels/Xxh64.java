package dev.strata.tsdb.labels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * XXH64 with seed 0, the hash Prometheus uses for label sets (through {@code cespare/xxhash}).
 *
 * <p>Written from the public XXH64 specification: four 64-bit lanes consume 32-byte stripes; the
 * lanes are merged, the length added, and the remaining 8-, 4- and 1-byte pieces folded in before a
 * final avalanche.
 *
 * <p>{@link #hashLabels} hashes the UTF-8 form of a label set without building it: code points are
 * encoded on the fly into a little-endian word accumulator held in local variables, so hashing
 * allocates nothing.
 *
 * <p>Public for the Thanos StoreAPI, whose chunk hashes are the same XXH64 of the chunk bytes.
 */
public final class Xxh64 {

  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** Prometheus ends every label name and value with this byte, which UTF-8 never contains. */
  static final int SEPARATOR = 0xFF;

  private Xxh64() {}

  /** XXH64 of {@code len} bytes of {@code b} from {@code off}, with seed 0. */
  public static long hash(byte[] b, int off, int len) {
    int p = off;
    int end = off + len;
    long h;
    if (len >= 32) {
      long v1 = P1 + P2;
      long v2 = P2;
      long v3 = 0;
      long v4 = -P1;
      for (; p + 32 <= end; p += 32) {
        v1 = round(v1, readLong(b, p));
        v2 = round(v2, readLong(b, p + 8));
        v3 = round(v3, readLong(b, p + 16));
        v4 = round(v4, readLong(b, p + 24));
      }
      h = mergeLanes(v1, v2, v3, v4);
    } else {
      h = P5;
    }
    h += len;
    for (; p + 8 <= end; p += 8) {
      h = mixWord(h, readLong(b, p));
    }
    if (p + 4 <= end) {
      h = mixInt(h, (int) INT_LE.get(b, p) & 0xFFFFFFFFL);
      p += 4;
    }
    for (; p < end; p++) {
      h = mixByte(h, b[p] & 0xFF);
    }
    return avalanche(h);
  }

  /**
   * XXH64 of the UTF-8 bytes of {@code s0, 0xFF, s1, 0xFF, ...} for the strings of {@code strings}:
   * for a label set's alternating names and values this is Prometheus's {@code Labels.Hash()}. An
   * unpaired surrogate is hashed as U+FFFD.
   */
  static long hashLabels(String[] strings) {
    long v1 = P1 + P2;
    long v2 = P2;
    long v3 = 0;
    long v4 = -P1;
    // Whole words of the current stripe not yet consumed, and the partial word being filled.
    long w0 = 0;
    long w1 = 0;
    long w2 = 0;
    int words = 0;
    long acc = 0;
    int accBytes = 0;
    long total = 0;
    for (String s : strings) {
      int n = s.length();
      int i = 0;
      while (i <= n) {
        int bytes; // up to four bytes of UTF-8, first byte lowest
        int count;
        if (i == n) {
          bytes = SEPARATOR;
          count = 1;
          i++;
        } else {
          char c = s.charAt(i++);
          if (c < 0x80) {
            bytes = c;
            count = 1;
          } else if (c < 0x800) {
            bytes = (0xC0 | c >> 6) | (0x80 | c & 0x3F) << 8;
            count = 2;
          } else if (!Character.isSurrogate(c)) {
            bytes = (0xE0 | c >> 12) | (0x80 | (c >> 6) & 0x3F) << 8 | (0x80 | c & 0x3F) << 16;
            count = 3;
          } else if (Character.isHighSurrogate(c)
              && i < n
              && Character.isLowSurrogate(s.charAt(i))) {
            int cp = Character.toCodePoint(c, s.charAt(i++));
            bytes =
                (0xF0 | cp >> 18)
                    | (0x80 | (cp >> 12) & 0x3F) << 8
                    | (0x80 | (cp >> 6) & 0x3F) << 16
                    | (0x80 | cp & 0x3F) << 24;
            count = 4;
          } else {
            bytes = 0xEF | 0xBF << 8 | 0xBD << 16; // U+FFFD
            count = 3;
          }
        }
        total += count;
        for (; count > 0; count--, bytes >>>= 8) {
          acc |= (bytes & 0xFFL) << (accBytes << 3);
          if (++accBytes == 8) {
            switch (words) {
              case 0 -> w0 = acc;
              case 1 -> w1 = acc;
              case 2 -> w2 = acc;
              default -> {
                v1 = round(v1, w0);
                v2 = round(v2, w1);
                v3 = round(v3, w2);
                v4 = round(v4, acc);
              }
            }
            words = (words + 1) & 3;
            acc = 0;
            accBytes = 0;
          }
        }
      }
    }
    long h = total >= 32 ? mergeLanes(v1, v2, v3, v4) : P5;
    h += total;
    if (words > 0) {
      h = mixWord(h, w0);
    }
    if (words > 1) {
      h = mixWord(h, w1);
    }
    if (words > 2) {
      h = mixWord(h, w2);
    }
    if (accBytes >= 4) {
      h = mixInt(h, acc & 0xFFFFFFFFL);
      acc >>>= 32;
      accBytes -= 4;
    }
    for (; accBytes > 0; accBytes--, acc >>>= 8) {
      h = mixByte(h, (int) acc & 0xFF);
    }
    return avalanche(h);
  }

  private static long round(long lane, long input) {
    return Long.rotateLeft(lane + input * P2, 31) * P1;
  }

  private static long mergeLanes(long v1, long v2, long v3, long v4) {
    long h =
        Long.rotateLeft(v1, 1)
            + Long.rotateLeft(v2, 7)
            + Long.rotateLeft(v3, 12)
            + Long.rotateLeft(v4, 18);
    h = (h ^ round(0, v1)) * P1 + P4;
    h = (h ^ round(0, v2)) * P1 + P4;
    h = (h ^ round(0, v3)) * P1 + P4;
    return (h ^ round(0, v4)) * P1 + P4;
  }

  private static long mixWord(long h, long word) {
    return Long.rotateLeft(h ^ round(0, word), 27) * P1 + P4;
  }

  private static long mixInt(long h, long unsignedInt) {
    return Long.rotateLeft(h ^ unsignedInt * P1, 23) * P2 + P3;
  }

  private static long mixByte(long h, int b) {
    return Long.rotateLeft(h ^ b * P5, 11) * P1;
  }

  private static long avalanche(long h) {
    h = (h ^ h >>> 33) * P2;
    h = (h ^ h >>> 29) * P3;
    return h ^ h >>> 32;
  }

  private static long readLong(byte[] b, int p) {
    return (long) LONG_LE.get(b, p);
  }
}
