package dev.strata.tsdb.chunks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ChunkRefTest {

  @Property(tries = 2000)
  void packsAndUnpacks(
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int segment,
      @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long offset) {
    long ref = ChunkRef.of(segment, offset);
    assertEquals(segment, ChunkRef.segmentIndex(ref));
    assertEquals(offset, ChunkRef.offset(ref));
    // The layout Prometheus uses: segment in the upper half, offset in the lower.
    assertEquals(((long) segment << 32) + offset, ref);
  }

  @Property(tries = 1000)
  void everyLongUnpacksToItself(@ForAll long ref) {
    int segment = ChunkRef.segmentIndex(ref);
    long offset = ChunkRef.offset(ref);
    assertEquals(ref, ((long) segment << 32) | offset);
  }

  @Test
  void examples() {
    assertEquals(8L, ChunkRef.of(0, 8));
    assertEquals((1L << 32) | 1234, ChunkRef.of(1, 1234));
    assertEquals("000002@1234", ChunkRef.toString(ChunkRef.of(1, 1234)));
    assertEquals("4294967296@5", ChunkRef.toString(-1L << 32 | 5));
    assertThrows(IllegalArgumentException.class, () -> ChunkRef.of(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> ChunkRef.of(0, 1L << 32));
    assertThrows(IllegalArgumentException.class, () -> ChunkRef.of(0, -1));
  }
}
