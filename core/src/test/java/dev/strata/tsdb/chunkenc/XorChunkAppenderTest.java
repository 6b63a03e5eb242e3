package dev.strata.tsdb.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.memory.SlabArena;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class XorChunkAppenderTest {

  private static byte[] bytes(XorChunkAppender app) {
    return app.buffer().toByteArray(app.byteLength());
  }

  @Test
  void encodesAHandComputedChunk() {
    XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
    app.append(1000, 1.0);
    app.append(2000, 1.0);
    app.append(3000, 2.0);
    // count 3 | zig-zag varint 1000 | 1.0 | uvarint delta 1000 | '0' same value | '0' dod 0 |
    // '11' new window, leading 1, 11 significant bits, 11 ones | zero padding
    assertEquals(
        "0003" + "d00f" + "3ff0000000000000" + "e807" + "3097ffc0",
        HexFormat.of().formatHex(bytes(app)));
    assertEquals(1000, app.minTime());
    assertEquals(3000, app.maxTime());
    assertEquals(3, app.numSamples());
  }

  @Test
  void emptyChunkIsJustTheHeader() {
    XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
    assertArrayEquals(new byte[] {0, 0}, bytes(app));
    XorChunkIterator it = new XorChunkIterator().reset(new byte[] {0, 0}, 0, 2);
    assertFalse(it.next());
    assertFalse(it.seek(0));
  }

  @Test
  void keepsSpecialValuesBitForBit() {
    long[] specials = {
      SampleSequences.STALE_NAN,
      0x7ff8000000000001L,
      0xfff8000000000000L,
      Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
      Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
      Double.doubleToRawLongBits(-0.0),
      Double.doubleToRawLongBits(0.0),
      Double.doubleToRawLongBits(Double.MIN_VALUE),
    };
    XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
    for (int i = 0; i < specials.length; i++) {
      app.appendBits(i * 15_000L, specials[i]);
    }
    byte[] chunk = bytes(app);
    XorChunkIterator it = new XorChunkIterator().reset(chunk, 0, chunk.length);
    for (long expected : specials) {
      assertTrue(it.next());
      assertEquals(expected, it.atValueBits());
      assertEquals(expected, Double.doubleToRawLongBits(it.atV()));
    }
  }

  @Test
  void extremeTimestampsWrapLikeTheFormat() {
    long[] ts = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, Long.MAX_VALUE - 1, Long.MAX_VALUE};
    XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
    for (long t : ts) {
      app.append(t, t);
    }
    byte[] chunk = bytes(app);
    XorChunkIterator it = new XorChunkIterator().reset(chunk, 0, chunk.length);
    for (long t : ts) {
      assertTrue(it.next());
      assertEquals(t, it.atT());
      assertEquals((double) t, it.atV());
    }
    assertFalse(it.next());
  }

  @Test
  void refusesTheSampleAfterTheSixteenBitCountIsFull() {
    XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
    for (int i = 0; i < XorChunkAppender.MAX_SAMPLES; i++) {
      app.append(i, i & 7);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> app.append(1L << 20, 0));
    assertTrue(e.getMessage().contains("65535"), e.getMessage());
    byte[] chunk = bytes(app);
    XorChunkIterator it = new XorChunkIterator().reset(chunk, 0, chunk.length);
    int n = 0;
    while (it.next()) {
      assertEquals(n, it.atT());
      n++;
    }
    assertEquals(XorChunkAppender.MAX_SAMPLES, n);
  }

  @Test
  void snapshotDecodesOnlyTheSamplesItWasGiven() {
    try (SlabArena arena = new SlabArena()) {
      ArenaChunkBuffer buf = new ArenaChunkBuffer(arena, 32);
      XorChunkAppender app = XorChunkAppender.create(buf);
      for (int i = 0; i < 100; i++) {
        app.append(i * 1000L, i * 0.5);
      }
      int len = app.byteLength();
      XorChunkIterator it = new XorChunkIterator().reset(buf, len, 60);
      // Appending after the snapshot was taken does not affect it.
      app.append(200_000, 1);
      int n = 0;
      while (it.next()) {
        assertEquals(n * 1000L, it.atT());
        n++;
      }
      assertEquals(60, n);
    }
  }

  @Test
  void reportsWhereAChunkFromASourceIsDamaged() {
    XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
    for (int i = 0; i < 50; i++) {
      app.append(i * 15_000L, Math.sqrt(i));
    }
    byte[] chunk = bytes(app);
    byte[] file = new byte[100 + chunk.length];
    System.arraycopy(chunk, 0, file, 100, chunk.length);
    dev.strata.tsdb.encoding.ByteSource source =
        new dev.strata.tsdb.encoding.ByteSource() {
          @Override
          public long length() {
            return file.length;
          }

          @Override
          public void read(long position, byte[] dst, int dstOffset, int length) {
            System.arraycopy(file, (int) position, dst, dstOffset, length);
          }

          @Override
          public String description() {
            return "chunks/000001";
          }
        };
    XorChunkIterator it = new XorChunkIterator().reset(source, 100, chunk.length - 3);
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> {
              while (it.next()) {
                // decode until the damage is found
              }
            });
    assertEquals("chunks/000001", e.source());
    assertTrue(e.offset() >= 100 && e.offset() <= 100 + chunk.length, "offset " + e.offset());
    assertTrue(e.getMessage().startsWith("corrupt chunks/000001: XOR chunk at offset "), e.getMessage());
  }
}
