package dev.strata.tsdb.chunkenc;

/**
 * The growable memory an appender encodes into: on-heap ({@link HeapChunkBuffer}) for chunks on
 * their way to a file, off-heap ({@link ArenaChunkBuffer}) for the head.
 *
 * <p>Appenders write whole big-endian longs at the current byte position, so a buffer must have
 * {@link #WRITE_SLACK} bytes of room past the last byte of the chunk; {@link #ensureCapacity}
 * callers account for it.
 */
public abstract sealed class ChunkBuffer permits HeapChunkBuffer, ArenaChunkBuffer {

  /** Bytes past the end of the chunk that a single write may touch. */
  public static final int WRITE_SLACK = Long.BYTES;

  ChunkBuffer() {}

  /** Bytes that can be written without growing. */
  public abstract int capacity();

  /** Grows the buffer, keeping its content, so that it holds at least {@code minCapacity} bytes. */
  abstract void ensureCapacity(int minCapacity);

  abstract void putLongBigEndian(int pos, long value);

  abstract void putShortBigEndian(int pos, short value);

  /** Copies {@code len} bytes starting at {@code pos} into {@code dst}. */
  public abstract void read(int pos, byte[] dst, int dstOffset, int len);

  /** The first {@code len} bytes as a new array. */
  public byte[] toByteArray(int len) {
    byte[] out = new byte[len];
    read(0, out, 0, len);
    return out;
  }

  static int grownCapacity(int current, int minCapacity) {
    int doubled = current + Math.max(current, 16);
    return Math.max(doubled, minCapacity);
  }
}
