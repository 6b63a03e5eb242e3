package dev.strata.tsdb.chunks;

/**
 * Chunk references as a block's index stores them: one {@code long} whose upper 32 bits are the
 * segment index (0 for file {@code 000001}) and whose lower 32 bits are the byte offset of the
 * chunk within that segment file. References stay primitive longs everywhere; this class only packs
 * and unpacks them.
 */
public final class ChunkRef {

  /** Largest offset a reference can hold: segment files must stay below 4 GiB. */
  public static final long MAX_OFFSET = 0xFFFF_FFFFL;

  private ChunkRef() {}

  /**
   * Packs a segment index and an offset.
   *
   * @throws IllegalArgumentException if either does not fit its 32 bits
   */
  public static long of(int segmentIndex, long offset) {
    if (segmentIndex < 0) {
      throw new IllegalArgumentException("negative segment index " + segmentIndex);
    }
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new IllegalArgumentException("segment offset " + offset + " does not fit 32 bits");
    }
    return ((long) segmentIndex << 32) | offset;
  }

  /**
   * The segment index, 0 for file {@code 000001}. The field is unsigned; values from 2^31 up come
   * out negative, which no reader accepts.
   */
  public static int segmentIndex(long ref) {
    return (int) (ref >>> 32);
  }

  /** The byte offset of the chunk within its segment file. */
  public static long offset(long ref) {
    return ref & MAX_OFFSET;
  }

  /** For messages: the file name and offset, e.g. {@code 000002@1234}. */
  public static String toString(long ref) {
    return ChunkSegmentFormat.fileName(Integer.toUnsignedLong(segmentIndex(ref)) + 1) + "@"
        + offset(ref);
  }
}
