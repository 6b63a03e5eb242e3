package dev.strata.tsdb.storage;

/** Chunks of one series in time order, as stored (encoding and bytes). */
public interface ChunkIterator {
  /** Advances to the next chunk; false at the end. */
  boolean next();

  /** First sample time of the current chunk. */
  long minTime();

  /** Last sample time of the current chunk. */
  long maxTime();

  /** The chunk's encoding byte (see {@code ChunkEncoding}). */
  byte encoding();

  /** The current chunk's bytes as stored in a segment file (without length, encoding or CRC). */
  byte[] bytes();

  /**
   * The array holding the current chunk's bytes, at {@link #sharedOffset()} for {@link
   * #sharedLength()} bytes, if nothing ever writes to it again: a caller may refer to it instead of
   * copying. Null if the iterator has no such array; then {@link #bytes()}.
   */
  default byte[] sharedBytes() {
    return null;
  }

  /** Where the current chunk's bytes start in {@link #sharedBytes()}. */
  default int sharedOffset() {
    return 0;
  }

  /** How many bytes of {@link #sharedBytes()} the current chunk is. */
  default int sharedLength() {
    return 0;
  }

  /** The samples of the current chunk. */
  SampleIterator samples();

  /**
   * Samples of the current chunk this reader may see, or -1 for all. A head chunk still being
   * appended to may hold samples committed after the reader opened, or not committed at all:
   * {@link #samples()} leaves them out, {@link #bytes()} (the chunk as stored) does not.
   */
  default int visibleSamples() {
    return -1;
  }
}
