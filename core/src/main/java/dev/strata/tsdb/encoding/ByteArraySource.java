package dev.strata.tsdb.encoding;

import java.util.Objects;

/**
 * A {@link ByteSource} over a range of an array, for data already on the heap (a small file read
 * whole, an object fetched from a bucket, test input). {@link ByteCursor} decodes straight from the
 * array instead of copying through its window.
 */
public final class ByteArraySource implements ByteSource {
  private final byte[] bytes;
  private final int offset;
  private final int length;
  private final String description;

  /** The whole array. */
  public ByteArraySource(byte[] bytes, String description) {
    this(bytes, 0, bytes.length, description);
  }

  /** {@code bytes[offset, offset + length)}; positions of the source count from {@code offset}. */
  public ByteArraySource(byte[] bytes, int offset, int length, String description) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    this.description = Objects.requireNonNull(description, "description");
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public void read(long position, byte[] dst, int dstOffset, int len) {
    if (position < 0 || len < 0 || position > length - len) {
      throw new IndexOutOfBoundsException(
          "read of " + len + " bytes at offset " + position + " is outside " + description
              + " (length " + length + ")");
    }
    System.arraycopy(bytes, offset + (int) position, dst, dstOffset, len);
  }

  @Override
  public String description() {
    return description;
  }

  byte[] array() {
    return bytes;
  }

  int arrayOffset() {
    return offset;
  }

  @Override
  public String toString() {
    return description;
  }
}
