package dev.strata.downsample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.encoding.ByteArraySource;
import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AggrChunkCodecTest {

  /** An XOR chunk of {@code n} samples t = base + 1000 i, v = seed + i. */
  static byte[] xor(long base, int n, double seed) {
    HeapChunkBuffer buf = new HeapChunkBuffer(64);
    XorChunkAppender app = XorChunkAppender.create(buf);
    for (int i = 0; i < n; i++) {
      app.append(base + 1000L * i, seed + i);
    }
    return Arrays.copyOf(buf.array(), app.byteLength());
  }

  static byte[] encode(byte[][] parts) {
    ByteSink sink = new ByteSink();
    sink.putBytes(new byte[] {42, 43}); // an earlier chunk in the same buffer
    AggrChunkEncoder enc = new AggrChunkEncoder().begin(sink);
    for (byte[] p : parts) {
      if (p == null) {
        enc.absent();
      } else {
        enc.add(ChunkEncoding.XOR, p, 0, p.length);
      }
    }
    int length = enc.finish();
    assertEquals(sink.length() - 2, length);
    return Arrays.copyOfRange(sink.array(), 2, sink.length());
  }

  @Provide
  Arbitrary<List<Integer>> sampleCounts() {
    // 0 marks an absent aggregate.
    return Arbitraries.integers().between(0, 300).list().ofSize(AggrType.COUNT_OF_TYPES);
  }

  @Property(tries = 300)
  void roundTripsAnyMixOfPresentAndAbsentAggregates(
      @ForAll("sampleCounts") List<Integer> counts, @ForAll long base) {
    long start = Math.floorMod(base, 1L << 50);
    byte[][] parts = new byte[AggrType.COUNT_OF_TYPES][];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = counts.get(i) == 0 ? null : xor(start, counts.get(i), i * 100.5);
    }
    byte[] chunk = encode(parts);
    AggrChunkDecoder dec = new AggrChunkDecoder().reset(chunk, 0, chunk.length, "test");
    XorChunkIterator it = new XorChunkIterator();
    for (AggrType type : AggrType.values()) {
      byte[] expected = parts[type.ordinal()];
      assertEquals(expected != null, dec.has(type));
      assertEquals(expected != null, dec.open(type, it));
      if (expected == null) {
        assertEquals(0, dec.length(type));
        assertEquals(0, dec.numSamples(type));
        continue;
      }
      assertEquals(ChunkEncoding.XOR, dec.encoding(type));
      assertArrayEquals(expected, Arrays.copyOfRange(dec.bytes(), dec.offset(type),
          dec.offset(type) + dec.length(type)));
      assertEquals(counts.get(type.ordinal()), dec.numSamples(type));
      List<Double> values = new ArrayList<>();
      while (it.next()) {
        assertEquals(start + 1000L * values.size(), it.atT());
        values.add(it.atV());
      }
      assertEquals(counts.get(type.ordinal()), values.size());
      assertEquals(type.ordinal() * 100.5, values.get(0));
    }
  }

  @Test
  void layoutIsLengthThenEncodingThenBytesAndZeroForAbsent() {
    byte[] count = xor(0, 1, 3);
    byte[] chunk = encode(new byte[][] {count, null, null, null, null});
    byte[] expected = new byte[2 + count.length + 4];
    expected[0] = (byte) count.length;
    expected[1] = 1; // XOR
    System.arraycopy(count, 0, expected, 2, count.length);
    assertArrayEquals(expected, chunk);
  }

  @Test
  void encoderRefusesIncompleteChunksAndEmptyEntries() {
    ByteSink sink = new ByteSink();
    AggrChunkEncoder enc = new AggrChunkEncoder().begin(sink).absent();
    assertThrows(IllegalStateException.class, enc::finish);
    assertThrows(IllegalArgumentException.class, () -> enc.add(ChunkEncoding.XOR, new byte[0], 0, 0));
    enc.absent().absent().absent().absent();
    assertThrows(IllegalStateException.class, enc::absent);
    assertEquals(5, enc.finish());
  }

  private static CorruptDataException corrupt(byte[] chunk, long base) {
    byte[] file = new byte[(int) base + chunk.length];
    System.arraycopy(chunk, 0, file, (int) base, chunk.length);
    ByteArraySource src = new ByteArraySource(file, "chunks/000001");
    return assertThrows(
        CorruptDataException.class, () -> new AggrChunkDecoder().reset(src, base, chunk.length));
  }

  private static void assertCorrupt(byte[] chunk, long offsetInChunk, String reasonPart) {
    CorruptDataException e = corrupt(chunk, 1000);
    assertEquals("chunks/000001", e.source());
    assertEquals(AggrChunkDecoder.SECTION, e.section());
    assertEquals(1000 + offsetInChunk, e.offset());
    assertTrue(e.getMessage().contains(reasonPart), e.getMessage());
  }

  @Test
  void truncatedChunkNamesTheMissingAggregate() {
    byte[] full = encode(new byte[][] {xor(0, 3, 1), xor(0, 3, 2), null, null, null});
    byte[] cut = Arrays.copyOf(full, full.length - 5); // three absent entries and 2 sum bytes gone
    int sumEntry = 2 + full[0];
    assertCorrupt(cut, sumEntry, "the sum aggregate's encoding byte and");
    byte[] noCounter = Arrays.copyOf(full, full.length - 1);
    assertCorrupt(noCounter, noCounter.length, "before the length of the counter aggregate");
    assertCorrupt(new byte[0], 0, "the count aggregate");
  }

  @Test
  void overflowingLengthIsCorrupt() {
    byte[] chunk = new byte[11];
    Arrays.fill(chunk, (byte) 0xff);
    chunk[10] = 0x01;
    assertCorrupt(chunk, 0, "overflows 64 bits");
  }

  @Test
  void unknownEncodingIsCorrupt() {
    byte[] chunk = encode(new byte[][] {xor(0, 2, 1), null, null, null, null});
    chunk[1] = 9;
    assertCorrupt(chunk, 1, "unknown encoding 9");
  }

  @Test
  void tooShortXorEntryIsCorrupt() {
    byte[] chunk = {1, 1, 0, 0, 0, 0, 0};
    assertCorrupt(chunk, 0, "shorter than its 2-byte header");
  }

  @Test
  void trailingBytesAreCorrupt() {
    byte[] chunk = encode(new byte[][] {null, null, null, null, xor(0, 2, 1)});
    byte[] longer = Arrays.copyOf(chunk, chunk.length + 2);
    assertCorrupt(longer, chunk.length, "2 bytes follow the last aggregate");
  }

  @Test
  void damagedXorBytesFailWhenDecodedNamingTheFileAndTheAggregatesOffset() {
    byte[] count = xor(0, 50, 1);
    byte[] chunk = encode(new byte[][] {count, null, null, null, null});
    byte[] cut = Arrays.copyOf(count, 6); // a count header promising 50 samples, few bytes
    byte[] damaged = encode(new byte[][] {cut, null, null, null, null});
    byte[] file = new byte[500 + damaged.length];
    System.arraycopy(damaged, 0, file, 500, damaged.length);
    AggrChunkDecoder dec =
        new AggrChunkDecoder().reset(new ByteArraySource(file, "chunks/000007"), 500, damaged.length);
    XorChunkIterator it = new XorChunkIterator();
    assertTrue(dec.open(AggrType.COUNT, it));
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> {
      while (it.next()) {
        // decode until the damage
      }
    });
    assertTrue(e.getMessage().contains("chunks/000007"), e.getMessage());
    assertFalse(chunk.length == damaged.length);
  }

  @Test
  void histogramAggregatesAreFramedButNotDecoded() {
    byte[] chunk = encode(new byte[][] {xor(0, 2, 1), null, null, null, xor(0, 2, 1)});
    chunk[chunk.length - xor(0, 2, 1).length - 1] = ChunkEncoding.FLOAT_HISTOGRAM;
    AggrChunkDecoder dec = new AggrChunkDecoder().reset(chunk, 0, chunk.length, "test");
    assertEquals(ChunkEncoding.FLOAT_HISTOGRAM, dec.encoding(AggrType.COUNTER));
    assertTrue(dec.open(AggrType.COUNT, new XorChunkIterator()));
    assertThrows(UnsupportedOperationException.class,
        () -> dec.open(AggrType.COUNTER, new XorChunkIterator()));
  }
}
