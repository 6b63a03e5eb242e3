package dev.strata.tsdb.storage;

import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.tombstones.Intervals;

/**
 * Series with their chunks, one at a time, in label order. Everything returned for a series is
 * valid until the next call to {@link #next()}; the cursor reuses its buffers, so walking millions
 * of series allocates little.
 */
public interface ChunkSeriesCursor {

  /** Advances to the next series; false at the end. */
  boolean next();

  Labels labels();

  /** Chunks of the current series that overlap the selected range, in time order. */
  int chunkCount();

  long chunkMinTime(int i);

  long chunkMaxTime(int i);

  /** The chunk's encoding byte (see {@code ChunkEncoding}). */
  byte chunkEncoding(int i);

  /** Length of the chunk's bytes. */
  int chunkLength(int i);

  /**
   * Samples of the chunk this reader may see, or -1 for all. A head chunk still being appended
   * to holds samples that readers opened earlier must not see.
   */
  int chunkVisibleSamples(int i);

  /** Copies the chunk's bytes into {@code dst} from offset 0; {@code dst} holds at least the length. */
  void readChunk(int i, byte[] dst);

  /**
   * The array holding the chunk's bytes, at {@link #chunkOffset} for {@link #chunkLength} bytes,
   * if nothing ever writes to it again, so that a caller may keep referring to it instead of
   * copying; null if the cursor has no such array (then {@link #readChunk} copies them).
   */
  default byte[] chunkArray(int i) {
    return null;
  }

  /** Where the chunk's bytes start in {@link #chunkArray}. */
  default int chunkOffset(int i) {
    return 0;
  }

  /** Points {@code it} at the chunk's samples (XOR chunks), limited to the visible ones. */
  void decode(int i, XorChunkIterator it);

  /** Deleted intervals of the current series ({@link Intervals#EMPTY} if none). */
  Intervals deleted();
}
