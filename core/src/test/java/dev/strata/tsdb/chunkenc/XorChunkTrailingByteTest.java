package dev.strata.tsdb.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Prometheus's bit stream adds a byte after every whole-byte write, so a chunk that ends on a byte
 * boundary right after such a write keeps an empty last byte. These chunks are spelled out by hand
 * from that rule; the promtool interop test checks it against real blocks.
 */
class XorChunkTrailingByteTest {

  private static byte[] bytes(XorChunkAppender a) {
    return a.buffer().toByteArray(a.byteLength());
  }

  @Test
  void oneSampleChunkEndsWithAnEmptyByte() {
    XorChunkAppender a = XorChunkAppender.create(new HeapChunkBuffer());
    a.append(0, 0.0);
    // count, zig-zag timestamp 0, 64 value bits, then the empty byte left by the last value byte.
    assertArrayEquals(new byte[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, bytes(a));
  }

  @Test
  void aFinalSingleBitLeavesNoEmptyByte() {
    XorChunkAppender a = XorChunkAppender.create(new HeapChunkBuffer());
    a.append(0, 0.0);
    a.append(1, 0.0);
    // ... delta 1 as a uvarint byte, then a single 0 bit for the unchanged value: 97 bits.
    assertArrayEquals(new byte[] {0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(a));
  }

  @Test
  void reopeningKeepsAndThenFillsTheEmptyByte() {
    XorChunkAppender first = XorChunkAppender.create(new HeapChunkBuffer());
    first.append(0, 0.0);
    byte[] one = bytes(first);
    XorChunkAppender reopened =
        XorChunkAppender.reopen(new HeapChunkBuffer(one.clone()), one.length);
    assertEquals(one.length, reopened.byteLength());
    reopened.append(1, 0.0);
    assertArrayEquals(new byte[] {0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}, bytes(reopened));
  }
}
