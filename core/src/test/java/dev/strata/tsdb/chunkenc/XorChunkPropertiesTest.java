package dev.strata.tsdb.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.chunkenc.SampleSequences.Seq;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.memory.SlabArena;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class XorChunkPropertiesTest {

  @Provide
  Arbitrary<Seq> sequences() {
    return SampleSequences.sequences(300);
  }

  @Provide
  Arbitrary<Seq> nonEmptySequences() {
    return SampleSequences.sequences(300).filter(s -> s.size() > 0);
  }

  static byte[] encode(Seq s) {
    XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer(16));
    for (int i = 0; i < s.size(); i++) {
      app.appendBits(s.ts()[i], s.bits()[i]);
    }
    return app.buffer().toByteArray(app.byteLength());
  }

  static byte[] reference(Seq s) {
    ReferenceXorEncoder ref = new ReferenceXorEncoder();
    for (int i = 0; i < s.size(); i++) {
      ref.append(s.ts()[i], s.bits()[i]);
    }
    return ref.bytes();
  }

  static void assertDecodes(Seq s, XorChunkIterator it) {
    assertEquals(s.size(), it.numSamples());
    for (int i = 0; i < s.size(); i++) {
      assertTrue(it.next(), "sample " + i);
      assertEquals(s.ts()[i], it.atT(), "timestamp of sample " + i);
      assertEquals(s.bits()[i], it.atValueBits(), "value bits of sample " + i);
    }
    assertFalse(it.next());
    assertFalse(it.next(), "stays exhausted");
  }

  @Property(tries = 500)
  void roundTripsEveryTimestampAndBitPattern(@ForAll("sequences") Seq s) {
    byte[] chunk = encode(s);
    assertDecodes(s, new XorChunkIterator().reset(chunk, 0, chunk.length));
  }

  @Property(tries = 500)
  void bytesMatchTheBitByBitModel(@ForAll("sequences") Seq s) {
    assertArrayEquals(reference(s), encode(s));
  }

  @Property(tries = 200)
  void offHeapChunksEqualHeapChunks(@ForAll("sequences") Seq s) {
    try (SlabArena arena = new SlabArena()) {
      ArenaChunkBuffer buf = new ArenaChunkBuffer(arena, 16);
      XorChunkAppender app = XorChunkAppender.create(buf);
      for (int i = 0; i < s.size(); i++) {
        app.appendBits(s.ts()[i], s.bits()[i]);
      }
      assertArrayEquals(encode(s), buf.toByteArray(app.byteLength()));
      assertDecodes(s, new XorChunkIterator().reset(buf, app.byteLength()));
      buf.trimTo(app.byteLength());
      assertDecodes(s, new XorChunkIterator().reset(buf, app.byteLength()));
      buf.release();
      assertEquals(0, arena.liveSlots());
    }
  }

  @Property(tries = 300)
  void appendingAfterReopenGivesPrometheusBytes(
      @ForAll("sequences") Seq s, @ForAll @IntRange(min = 0, max = 300) int split) {
    int k = Math.min(split, s.size());
    XorChunkAppender first = XorChunkAppender.create(new HeapChunkBuffer());
    ReferenceXorEncoder ref = new ReferenceXorEncoder();
    for (int i = 0; i < k; i++) {
      first.appendBits(s.ts()[i], s.bits()[i]);
      ref.append(s.ts()[i], s.bits()[i]);
    }
    byte[] head = first.buffer().toByteArray(first.byteLength());

    XorChunkAppender reopened = XorChunkAppender.reopen(new HeapChunkBuffer(head), head.length);
    ref.reopen();
    assertEquals(k, reopened.numSamples());
    for (int i = k; i < s.size(); i++) {
      reopened.appendBits(s.ts()[i], s.bits()[i]);
      ref.append(s.ts()[i], s.bits()[i]);
    }
    byte[] chunk = reopened.buffer().toByteArray(reopened.byteLength());
    assertArrayEquals(ref.bytes(), chunk);
    assertDecodes(s, new XorChunkIterator().reset(chunk, 0, chunk.length));
  }

  @Property(tries = 300)
  void seekFindsTheFirstSampleAtOrAfterTheTarget(
      @ForAll("nonEmptySequences") Seq s, @ForAll("targets") long offset) {
    byte[] chunk = encode(s);
    XorChunkIterator it = new XorChunkIterator().reset(chunk, 0, chunk.length);
    long target = s.ts()[0] + offset;
    int expected = 0;
    while (expected < s.size() && s.ts()[expected] < target) {
      expected++;
    }
    boolean found = it.seek(target);
    assertEquals(expected < s.size(), found);
    if (found) {
      assertEquals(s.ts()[expected], it.atT());
      assertEquals(s.bits()[expected], it.atValueBits());
      // Seeking backwards never moves the iterator.
      assertTrue(it.seek(Long.MIN_VALUE));
      assertEquals(s.ts()[expected], it.atT());
    }
  }

  @Provide
  Arbitrary<Long> targets() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(-1000, 5_000_000),
        Arbitraries.longs().between(-(1L << 40), 1L << 40));
  }

  @Property(tries = 200)
  void everyTruncationIsReportedAsCorruption(@ForAll("nonEmptySequences") Seq s) {
    byte[] chunk = encode(s);
    XorChunkIterator it = new XorChunkIterator();
    // The empty byte the format leaves after a whole-byte write holds no bits: dropping only that
    // byte still decodes. Any shorter chunk must be reported.
    int complete = chunk.length - (chunk[chunk.length - 1] == 0 ? 1 : 0);
    for (int len = 0; len < complete; len++) {
      final int l = len;
      CorruptDataException e =
          assertThrows(
              CorruptDataException.class,
              () -> {
                it.reset(chunk, 0, l);
                while (it.next()) {
                  // a truncated chunk must not decode all its samples
                }
              },
              "truncated to " + len + " of " + chunk.length + " bytes");
      assertTrue(e.getMessage().contains("XOR chunk"), e.getMessage());
    }
  }

  @Property(tries = 300)
  void randomDamageNeverLoopsOrEscapesAsAnotherException(
      @ForAll("nonEmptySequences") Seq s,
      @ForAll @IntRange(min = 0, max = 10_000) int position,
      @ForAll byte xor) {
    byte[] chunk = encode(s);
    byte[] damaged = Arrays.copyOf(chunk, chunk.length);
    damaged[position % damaged.length] ^= (byte) (xor == 0 ? 1 : xor);
    XorChunkIterator it = new XorChunkIterator();
    try {
      it.reset(damaged, 0, damaged.length);
      int n = 0;
      while (it.next()) {
        n++;
      }
      assertTrue(n <= 0xFFFF);
    } catch (CorruptDataException expected) {
      // detected
    }
  }
}
