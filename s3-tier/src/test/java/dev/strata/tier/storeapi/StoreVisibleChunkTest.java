package dev.strata.tier.storeapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.SampleIterator;
import org.junit.jupiter.api.Test;

/** A head chunk holding samples its reader may not see is sent cut to the visible ones. */
class StoreVisibleChunkTest {
  private static final long STALE_NAN = 0x7ff0000000000002L;

  @Test
  void aChunkWithHiddenSamplesIsCutToTheVisibleOnes() {
    byte[] stored = chunk(10);
    VisibleChunk cut = VisibleChunk.of(new OneChunk(stored, 6));
    assertEquals(5_000, cut.maxTime());
    XorChunkIterator it = new XorChunkIterator().reset(cut.data(), 0, cut.data().length);
    assertEquals(6, it.numSamples());
    for (int i = 0; i < 6; i++) {
      it.next();
      assertEquals(i * 1000L, it.atT());
      assertEquals(bits(i), it.atValueBits(), "value bits kept, staleness markers included");
    }
    assertArrayEquals(chunk(6), cut.data());
  }

  @Test
  void chunksWithoutHiddenSamplesGoAsStored() {
    byte[] stored = chunk(10);
    assertSame(stored, VisibleChunk.of(new OneChunk(stored, -1)).data());
    assertSame(stored, VisibleChunk.of(new OneChunk(stored, 10)).data());
  }

  private static long bits(int i) {
    return i == 3 ? STALE_NAN : Double.doubleToRawLongBits(i * 1.5);
  }

  /** An XOR chunk of the first {@code samples} samples. */
  private static byte[] chunk(int samples) {
    XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
    for (int i = 0; i < samples; i++) {
      app.appendBits(i * 1000L, bits(i));
    }
    return app.buffer().toByteArray(app.byteLength());
  }

  private static final class OneChunk implements ChunkIterator {
    private final byte[] bytes;
    private final int visible;

    OneChunk(byte[] bytes, int visible) {
      this.bytes = bytes;
      this.visible = visible;
    }

    @Override
    public boolean next() {
      return true;
    }

    @Override
    public long minTime() {
      return 0;
    }

    @Override
    public long maxTime() {
      return 9_000;
    }

    @Override
    public byte encoding() {
      return ChunkEncoding.XOR;
    }

    @Override
    public byte[] bytes() {
      return bytes;
    }

    @Override
    public SampleIterator samples() {
      throw new UnsupportedOperationException("the cut reads the bytes, not the samples");
    }

    @Override
    public int visibleSamples() {
      return visible;
    }
  }
}
