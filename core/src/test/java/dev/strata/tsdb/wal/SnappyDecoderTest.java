package dev.strata.tsdb.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** Strata's Snappy decoder against an independent Snappy implementation. */
class SnappyDecoderTest {

  @Property(tries = 300)
  void decodesWhatSnappyEncodes(
      @ForAll @Size(max = 5000) byte[] noise, @ForAll @IntRange(min = 0, max = 20000) int repeats)
      throws Exception {
    // Mix noise (literals) with repetitive runs (copies, overlapping ones included).
    byte[] input = new byte[noise.length + repeats];
    System.arraycopy(noise, 0, input, 0, noise.length);
    for (int i = 0; i < repeats; i++) {
      input[noise.length + i] = (byte) (i % 3 == 0 ? 7 : i % 11);
    }
    byte[] compressed = Snappy.compress(input);
    SnappyDecoder d = new SnappyDecoder();
    d.decompress(compressed, 0, compressed.length);
    assertArrayEquals(input, Arrays.copyOf(d.buffer(), d.length()));
  }

  @Test
  void damagedBlocksAreRefusedNotMisread() throws Exception {
    byte[] input = new byte[10_000];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) (i % 13);
    }
    byte[] compressed = Snappy.compress(input);
    SnappyDecoder d = new SnappyDecoder();
    for (int cut = 0; cut < compressed.length; cut++) {
      int len = cut;
      assertThrows(IllegalArgumentException.class, () -> d.decompress(compressed, 0, len), "cut at " + cut);
    }
    for (int pos = 0; pos < compressed.length; pos++) {
      byte[] damaged = compressed.clone();
      damaged[pos] ^= 0x5a;
      try {
        d.decompress(damaged, 0, damaged.length);
      } catch (IllegalArgumentException expected) {
        // refused: fine; decoding garbage without an exception is fine too, as long as it stays
        // within bounds (the WAL's CRCs catch the damage first)
      }
    }
  }
}
