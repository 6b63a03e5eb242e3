package dev.strata.downsample;

import dev.strata.tsdb.encoding.ByteSink;

/**
 * Writes Thanos's AggrChunk (chunk encoding {@code 0xff}): for each of the five aggregates in
 * {@link AggrType} order, a uvarint length {@code L}, then, if {@code L > 0}, the aggregate's
 * encoding byte and {@code L} bytes of its chunk. {@code L = 0} marks an absent aggregate, which
 * Thanos writes when an aggregate had no samples (and which readers must tolerate).
 *
 * <p>Entries go straight into a caller's {@link ByteSink}, so a series' chunks can share one
 * growing buffer and the encoder allocates nothing.
 */
public final class AggrChunkEncoder {
  private ByteSink out;
  private int next;
  private int start;

  /** Starts a chunk at the end of {@code sink}'s content. */
  public AggrChunkEncoder begin(ByteSink sink) {
    this.out = sink;
    this.start = sink.length();
    this.next = 0;
    return this;
  }

  /**
   * Adds the next aggregate: {@code data[off, off + len)} with the given encoding byte.
   *
   * @throws IllegalArgumentException if {@code len} is 0 (use {@link #absent}) or negative
   * @throws IllegalStateException if all five aggregates were already added
   */
  public AggrChunkEncoder add(byte encoding, byte[] data, int off, int len) {
    checkNext();
    if (len <= 0) {
      throw new IllegalArgumentException(
          "the " + AggrType.of(next).label() + " aggregate needs at least one byte, got " + len);
    }
    out.putUvarint(len).putByte(encoding).putBytes(data, off, len);
    next++;
    return this;
  }

  /** Marks the next aggregate as absent. */
  public AggrChunkEncoder absent() {
    checkNext();
    out.putUvarint(0);
    next++;
    return this;
  }

  /**
   * Completes the chunk.
   *
   * @return the chunk's length in bytes; it starts where {@link #begin} found the sink's end
   * @throws IllegalStateException if fewer than five aggregates were added
   */
  public int finish() {
    if (next != AggrType.COUNT_OF_TYPES) {
      throw new IllegalStateException(
          "an aggregate chunk has " + AggrType.COUNT_OF_TYPES + " entries, only " + next
              + " were added");
    }
    int length = out.length() - start;
    out = null;
    return length;
  }

  private void checkNext() {
    if (out == null) {
      throw new IllegalStateException("begin() a chunk first");
    }
    if (next >= AggrType.COUNT_OF_TYPES) {
      throw new IllegalStateException("all " + AggrType.COUNT_OF_TYPES + " aggregates were added");
    }
  }
}
