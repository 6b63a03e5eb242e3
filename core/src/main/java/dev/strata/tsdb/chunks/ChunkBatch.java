package dev.strata.tsdb.chunks;

import dev.strata.tsdb.encoding.ByteSource;
import java.util.Arrays;
import java.util.Objects;

/**
 * The chunks of one series, in time order, handed to {@link ChunkSegmentWriter#write} in one call.
 * Prometheus decides where segment files end per series, so the writer must see a series' chunks
 * together to lay them out the same way.
 *
 * <p>A chunk's bytes stay where they are until written: a range of a {@code byte[]} (a freshly
 * encoded chunk) or of a {@link ByteSource} (a chunk copied from another block's mapped segment
 * during compaction, without passing through the heap). The batch only keeps references, so the
 * caller must not change the bytes before the write. Reuse one batch ({@link #clear()}) so that
 * adding chunks allocates nothing once its arrays have grown.
 */
public final class ChunkBatch {
  private byte[] encodings = new byte[8];
  // Each entry is a byte[] or a ByteSource.
  private Object[] sources = new Object[8];
  private long[] positions = new long[8];
  private int[] lengths = new int[8];
  private int size;

  /** Empties the batch and drops its references to chunk bytes. */
  public ChunkBatch clear() {
    Arrays.fill(sources, 0, size, null);
    size = 0;
    return this;
  }

  /** Adds a chunk held in {@code data[offset, offset + length)}. */
  public ChunkBatch add(byte encoding, byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    return append(encoding, data, offset, length);
  }

  /** Adds a chunk held in {@code source[position, position + length)}. */
  public ChunkBatch add(byte encoding, ByteSource source, long position, int length) {
    if (position < 0 || length < 0 || position > source.length() - length) {
      throw new IndexOutOfBoundsException(
          "chunk of " + length + " bytes at offset " + position + " is outside "
              + source.description() + " (length " + source.length() + ")");
    }
    return append(encoding, source, position, length);
  }

  private ChunkBatch append(byte encoding, Object source, long position, int length) {
    if (size == encodings.length) {
      int grown = size * 2;
      encodings = Arrays.copyOf(encodings, grown);
      sources = Arrays.copyOf(sources, grown);
      positions = Arrays.copyOf(positions, grown);
      lengths = Arrays.copyOf(lengths, grown);
    }
    encodings[size] = encoding;
    sources[size] = source;
    positions[size] = position;
    lengths[size] = length;
    size++;
    return this;
  }

  /** Number of chunks. */
  public int size() {
    return size;
  }

  public byte encoding(int i) {
    Objects.checkIndex(i, size);
    return encodings[i];
  }

  /** Length of chunk {@code i}'s data in bytes. */
  public int length(int i) {
    Objects.checkIndex(i, size);
    return lengths[i];
  }

  /** Copies {@code len} bytes of chunk {@code i}'s data, starting {@code from} bytes into it. */
  void copy(int i, int from, byte[] dst, int dstOffset, int len) {
    Object source = sources[i];
    if (source instanceof byte[] array) {
      System.arraycopy(array, (int) positions[i] + from, dst, dstOffset, len);
    } else {
      ((ByteSource) source).read(positions[i] + from, dst, dstOffset, len);
    }
  }
}
