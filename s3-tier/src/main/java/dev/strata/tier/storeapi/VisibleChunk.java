package dev.strata.tier.storeapi;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.storage.ChunkIterator;

/**
 * The bytes of a chunk as a reader may see them. A head chunk being appended to can hold samples
 * the reader must not see (committed later, or never: an appender may still roll back); sending
 * its bytes as stored would show them to the querier, so such a chunk is cut to its visible
 * samples by re-encoding them. Every other chunk goes as stored.
 */
record VisibleChunk(byte[] data, long maxTime) {

  /** The current chunk of {@code it}, cut to the samples the reader may see. */
  static VisibleChunk of(ChunkIterator it) {
    byte[] stored = it.bytes();
    int visible = it.visibleSamples();
    if (visible < 0 || it.encoding() != ChunkEncoding.XOR || visible >= sampleCount(stored)) {
      return new VisibleChunk(stored, it.maxTime());
    }
    XorChunkIterator samples = new XorChunkIterator().reset(stored, 0, stored.length, visible);
    XorChunkAppender cut = XorChunkAppender.create(new HeapChunkBuffer());
    while (samples.next()) {
      // Bits, not doubles: a staleness marker is a NaN whose exact bits matter.
      cut.appendBits(samples.atT(), samples.atValueBits());
    }
    long maxTime = cut.numSamples() > 0 ? cut.maxTime() : it.minTime();
    return new VisibleChunk(cut.buffer().toByteArray(cut.byteLength()), maxTime);
  }

  /** An XOR chunk starts with its sample count, a big-endian uint16. */
  private static int sampleCount(byte[] xorChunk) {
    return xorChunk.length < 2 ? 0 : (xorChunk[0] & 0xff) << 8 | (xorChunk[1] & 0xff);
  }
}
