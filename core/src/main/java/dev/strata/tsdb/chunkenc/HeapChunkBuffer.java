package dev.strata.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A chunk buffer backed by a {@code byte[]}, for chunks that are written to files. */
public final class HeapChunkBuffer extends ChunkBuffer {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT_BE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

  private byte[] bytes;

  public HeapChunkBuffer() {
    this(128);
  }

  public HeapChunkBuffer(int initialCapacity) {
    this.bytes = new byte[Math.max(initialCapacity, 2 + WRITE_SLACK)];
  }

  /** Wraps existing chunk bytes (for re-opening a chunk); the array is used, not copied. */
  public HeapChunkBuffer(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The backing array; valid until the next append that grows the buffer. */
  public byte[] array() {
    return bytes;
  }

  @Override
  public int capacity() {
    return bytes.length;
  }

  @Override
  void ensureCapacity(int minCapacity) {
    if (minCapacity > bytes.length) {
      bytes = Arrays.copyOf(bytes, grownCapacity(bytes.length, minCapacity));
    }
  }

  @Override
  void putLongBigEndian(int pos, long value) {
    LONG_BE.set(bytes, pos, value);
  }

  @Override
  void putShortBigEndian(int pos, short value) {
    SHORT_BE.set(bytes, pos, value);
  }

  @Override
  public void read(int pos, byte[] dst, int dstOffset, int len) {
    System.arraycopy(bytes, pos, dst, dstOffset, len);
  }
}
