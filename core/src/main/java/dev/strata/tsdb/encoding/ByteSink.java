package dev.strata.tsdb.encoding;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A growable byte array that file writers encode records into before handing them to a channel:
 * big-endian fixed-width integers, Go-style varints, length-prefixed bytes, padding, and CRC32C
 * over any range already written. Fixed-width fields can be reserved and filled in later, since
 * Prometheus formats put lengths in front of content whose size is only known once written.
 *
 * <p>Not thread-safe. Reusing one sink across records ({@link #clear()}) keeps encoding free of
 * allocation once the array has grown to the largest record.
 */
public final class ByteSink {
  private static final VarHandle SHORT_BE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] bytes;
  private int length;
  private final CRC32C crc = new CRC32C();

  public ByteSink() {
    this(256);
  }

  public ByteSink(int initialCapacity) {
    this.bytes = new byte[Math.max(initialCapacity, 16)];
  }

  /** Bytes written so far. */
  public int length() {
    return length;
  }

  /** Forgets the content, keeping the array. */
  public ByteSink clear() {
    length = 0;
    return this;
  }

  /** The backing array; bytes {@code [0, length())} are the content. Valid until the next put. */
  public byte[] array() {
    return bytes;
  }

  /** A copy of the content. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  // Makes room for n more bytes and returns where they go. Callers must read the `bytes` field
  // only after calling this, since growing replaces the array.
  private int grow(int n) {
    int at = length;
    int needed = at + n;
    if (needed < 0) {
      throw new IllegalStateException("byte sink would exceed 2 GiB");
    }
    if (needed > bytes.length) {
      int doubled = bytes.length << 1;
      bytes = Arrays.copyOf(bytes, doubled < 0 || doubled < needed ? needed : doubled);
    }
    length = needed;
    return at;
  }

  public ByteSink putByte(int b) {
    int at = grow(1);
    bytes[at] = (byte) b;
    return this;
  }

  /** The low 16 bits of {@code v}, big-endian. */
  public ByteSink putBE16(int v) {
    int at = grow(2);
    SHORT_BE.set(bytes, at, (short) v);
    return this;
  }

  public ByteSink putBE32(int v) {
    int at = grow(4);
    INT_BE.set(bytes, at, v);
    return this;
  }

  public ByteSink putBE64(long v) {
    int at = grow(8);
    LONG_BE.set(bytes, at, v);
    return this;
  }

  /** {@code v} taken as unsigned, in 1 to 10 bytes. */
  public ByteSink putUvarint(long v) {
    int at = grow(Varint.uvarintSize(v));
    Varint.putUvarint(bytes, at, v);
    return this;
  }

  /** {@code v} zig-zag encoded, in 1 to 10 bytes. */
  public ByteSink putVarint(long v) {
    return putUvarint(Varint.zigZag(v));
  }

  public ByteSink putBytes(byte[] src) {
    return putBytes(src, 0, src.length);
  }

  public ByteSink putBytes(byte[] src, int off, int len) {
    Objects.checkFromIndexSize(off, len, src.length);
    int at = grow(len);
    System.arraycopy(src, off, bytes, at, len);
    return this;
  }

  /** {@code len} as a uvarint, then the bytes: how Prometheus writes strings. */
  public ByteSink putUvarintBytes(byte[] src, int off, int len) {
    putUvarint(len);
    return putBytes(src, off, len);
  }

  /** {@code n} zero bytes. */
  public ByteSink putZeros(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative count " + n);
    }
    int at = grow(n);
    Arrays.fill(bytes, at, at + n, (byte) 0);
    return this;
  }

  /**
   * Zero bytes up to the next multiple of {@code alignment}, counting positions from {@code base}:
   * the sink usually holds a part of a file that starts at {@code base}.
   */
  public ByteSink padTo(long base, int alignment) {
    if (alignment <= 0) {
      throw new IllegalArgumentException("alignment " + alignment + " is not positive");
    }
    long misalignment = Math.floorMod(base + length, (long) alignment);
    return misalignment == 0 ? this : putZeros((int) (alignment - misalignment));
  }

  /** Reserves {@code n} bytes to be filled in later and returns their position. */
  public int reserve(int n) {
    int at = grow(n);
    Arrays.fill(bytes, at, at + n, (byte) 0);
    return at;
  }

  /** Overwrites 4 bytes at {@code pos}, which must already be written (see {@link #reserve}). */
  public ByteSink setBE32(int pos, int v) {
    Objects.checkFromIndexSize(pos, 4, length);
    INT_BE.set(bytes, pos, v);
    return this;
  }

  /** Overwrites 8 bytes at {@code pos}, which must already be written. */
  public ByteSink setBE64(int pos, long v) {
    Objects.checkFromIndexSize(pos, 8, length);
    LONG_BE.set(bytes, pos, v);
    return this;
  }

  /** CRC32-Castagnoli of the content in {@code [from, to)}. */
  public int crc32c(int from, int to) {
    Objects.checkFromToIndex(from, to, length);
    crc.reset();
    crc.update(bytes, from, to - from);
    return (int) crc.getValue();
  }

  /** Appends the CRC32-Castagnoli of {@code [from, length())}, big-endian. */
  public ByteSink putCrc32cOf(int from) {
    return putBE32(crc32c(from, length));
  }

  /** Writes the whole content to {@code channel}. */
  public void writeTo(WritableByteChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes, 0, length);
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }
}
