package dev.strata.tier.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.prometheus.proto.Chunk;
import dev.strata.tier.prometheus.proto.Sample;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The raw samples of a sampled remote read answer, cut into XOR chunks of at most 120 samples as
 * Thanos's sidecar cuts them: every sample comes back, bit for bit, in order.
 */
class SampleChunksPropertiesTest {

  @Property(tries = 300)
  void chunksHoldEverySampleBitForBit(
      @ForAll @Size(max = 700) List<Long> times,
      @ForAll @Size(max = 700) List<Long> valueBits,
      @ForAll @IntRange(min = 1, max = 200) int perChunk) {
    List<Sample> samples = new ArrayList<>();
    int i = 0;
    for (long t : new TreeSet<>(times)) {
      long bits = valueBits.isEmpty() ? i : valueBits.get(i % valueBits.size());
      samples.add(
          Sample.newBuilder().setTimestamp(t).setValue(Double.longBitsToDouble(bits)).build());
      i++;
    }

    List<Chunk> chunks = SampleChunks.xor(samples, perChunk);

    assertEquals((samples.size() + perChunk - 1) / perChunk, chunks.size());
    int next = 0;
    for (Chunk c : chunks) {
      assertEquals(Chunk.Encoding.XOR, c.getType());
      byte[] data = c.getData().toByteArray();
      XorChunkIterator it = new XorChunkIterator().reset(data, 0, data.length);
      assertTrue(it.numSamples() <= perChunk);
      assertEquals(samples.get(next).getTimestamp(), c.getMinTimeMs());
      while (it.next()) {
        Sample expected = samples.get(next++);
        assertEquals(expected.getTimestamp(), it.atT());
        assertEquals(Double.doubleToRawLongBits(expected.getValue()), it.atValueBits());
      }
      assertEquals(samples.get(next - 1).getTimestamp(), c.getMaxTimeMs());
    }
    assertEquals(samples.size(), next);
  }

  @Test
  void theStalenessMarkerKeepsItsBits() {
    long staleNaN = 0x7ff0000000000002L;
    List<Chunk> chunks =
        SampleChunks.xor(
            List.of(
                Sample.newBuilder().setTimestamp(1).setValue(1).build(),
                Sample.newBuilder()
                    .setTimestamp(2)
                    .setValue(Double.longBitsToDouble(staleNaN))
                    .build()),
            SampleChunks.MAX_SAMPLES_PER_CHUNK);
    byte[] data = chunks.get(0).getData().toByteArray();
    XorChunkIterator it = new XorChunkIterator().reset(data, 0, data.length);
    it.next();
    it.next();
    assertEquals(staleNaN, it.atValueBits());
  }

  @Test
  void timestampsMustIncrease() {
    List<Sample> samples =
        List.of(
            Sample.newBuilder().setTimestamp(5).setValue(1).build(),
            Sample.newBuilder().setTimestamp(5).setValue(2).build());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SampleChunks.xor(samples, 120));
    assertTrue(e.getMessage().contains("sample 1 at 5"), e.getMessage());
  }
}
