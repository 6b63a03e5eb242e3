package dev.strata.tsdb.chunkenc;

import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes an XOR chunk sample by sample with primitive accessors; reusable across chunks.
 *
 * <p>{@code reset} copies the chunk into a private zero-padded array, so decoding is one tight loop
 * over {@code byte[]} whether the chunk came from the heap, the off-heap arena or a mapped file,
 * and a head chunk that keeps growing does not disturb an iterator over an earlier snapshot.
 * Reads take 64 bits at any bit position with one unaligned long load plus one byte; the padding
 * makes those loads safe past the end, and the bit position is checked after every sample, so a
 * truncated or corrupt chunk raises {@link CorruptDataException} rather than returning garbage.
 * Nothing is allocated after the internal array has grown to the largest chunk seen.
 *
 * <p>Usage: {@code reset(...)}, then {@code while (it.next()) { it.atT(); it.atV(); }}.
 */
public final class XorChunkIterator {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  // A sample reads at most 19 bytes past its start, plus the 9-byte window load.
  private static final int PADDING = 32;
  private static final int HEADER_BYTES = 2;

  private byte[] data = new byte[256 + PADDING];
  private int bitLimit;
  // Where the chunk came from, for error messages only; kept as parts to avoid building strings.
  private ByteSource source;
  private long sourcePosition;

  private int numTotal;
  private int numRead;
  private int bitPos;

  private long t;
  private long tDelta;
  private long valueBits;
  private long firstTime;
  private int leading;
  private int trailing;

  /** Starts decoding the chunk in {@code src[off, off + len)}. */
  public XorChunkIterator reset(byte[] src, int off, int len) {
    byte[] dst = prepare(len);
    System.arraycopy(src, off, dst, 0, len);
    return start(len, -1, null, 0);
  }

  /**
   * Starts decoding the {@code len}-byte chunk data at {@code position} in {@code src}; errors name
   * the source and the offset within it.
   */
  public XorChunkIterator reset(ByteSource src, long position, int len) {
    byte[] dst = prepare(len);
    src.read(position, dst, 0, len);
    return start(len, -1, src, position);
  }

  /** Starts decoding the first {@code len} bytes of {@code buf}. */
  public XorChunkIterator reset(ChunkBuffer buf, int len) {
    byte[] dst = prepare(len);
    buf.read(0, dst, 0, len);
    return start(len, -1, null, 0);
  }

  /**
   * Starts decoding the first {@code numSamples} samples of the first {@code len} bytes of {@code
   * buf}: for a chunk that is being appended to, whose count field may run ahead of a snapshot.
   */
  public XorChunkIterator reset(ChunkBuffer buf, int len, int numSamples) {
    byte[] dst = prepare(len);
    buf.read(0, dst, 0, len);
    return start(len, numSamples, null, 0);
  }

  private byte[] prepare(int len) {
    if (len < 0) {
      throw new IllegalArgumentException("negative chunk length " + len);
    }
    if (data.length < len + PADDING) {
      data = new byte[Integer.highestOneBit(len + PADDING) << 1];
    }
    return data;
  }

  private XorChunkIterator start(int len, int numSamples, ByteSource source, long position) {
    this.source = source;
    this.sourcePosition = position;
    if (len < HEADER_BYTES) {
      numTotal = 0;
      throw corrupt(0, "chunk of " + len + " bytes is shorter than its 2-byte header");
    }
    // Zero the padding: stale bytes of an earlier chunk must not feed into window loads.
    Arrays.fill(data, len, len + PADDING, (byte) 0);
    bitLimit = len << 3;
    int headerCount = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
    numTotal = numSamples >= 0 ? Math.min(numSamples, headerCount) : headerCount;
    numRead = 0;
    bitPos = HEADER_BYTES << 3;
    t = Long.MIN_VALUE;
    tDelta = 0;
    valueBits = 0;
    leading = 0;
    trailing = 0;
    return this;
  }

  /** Number of samples the chunk holds. */
  public int numSamples() {
    return numTotal;
  }

  /**
   * Advances to the next sample.
   *
   * @return false when the chunk has no more samples
   * @throws CorruptDataException if the chunk is truncated or malformed
   */
  public boolean next() {
    int n = numRead;
    if (n >= numTotal) {
      return false;
    }
    if (n >= 2) {
      long w = window(bitPos);
      // Control prefix: 0, 10, 110, 1110 or 1111; count its leading ones (at most 4).
      int ones = Long.numberOfLeadingZeros(~w);
      long dod;
      if (ones == 0) {
        dod = 0;
        bitPos += 1;
      } else if (ones == 1) {
        dod = signed((w << 2) >>> (64 - 14), 14);
        bitPos += 2 + 14;
      } else if (ones == 2) {
        dod = signed((w << 3) >>> (64 - 17), 17);
        bitPos += 3 + 17;
      } else if (ones == 3) {
        dod = signed((w << 4) >>> (64 - 20), 20);
        bitPos += 4 + 20;
      } else {
        dod = window(bitPos + 4);
        bitPos += 4 + 64;
      }
      tDelta += dod;
      t += tDelta;
      readValue();
    } else if (n == 1) {
      tDelta = readUvarint();
      t += tDelta;
      readValue();
    } else {
      long zigzag = readUvarint();
      t = (zigzag >>> 1) ^ -(zigzag & 1);
      firstTime = t;
      valueBits = window(bitPos);
      bitPos += 64;
    }
    if (bitPos > bitLimit) {
      throw corrupt(
          bitLimit >>> 3,
          "truncated: sample " + n + " of " + numTotal + " ends at bit " + bitPos
              + " but the chunk has only " + bitLimit + " bits");
    }
    numRead = n + 1;
    return true;
  }

  // Sign rule of Prometheus's reader: values above 2^(size-1) are negative.
  private static long signed(long bits, int size) {
    return bits > (1L << (size - 1)) ? bits - (1L << size) : bits;
  }

  private void readValue() {
    long w = window(bitPos);
    if (w >= 0) { // control bit 0: same value as before
      bitPos += 1;
      return;
    }
    long xor;
    if ((w << 1) >= 0) { // 10: reuse the current window
      int significant = 64 - leading - trailing;
      if (significant <= 62) {
        xor = (w << 2) >>> (64 - significant);
      } else {
        xor = window(bitPos + 2) >>> (64 - significant);
      }
      bitPos += 2 + significant;
    } else { // 11: a new window
      int newLeading = (int) ((w << 2) >>> 59);
      int significant = (int) ((w << 7) >>> 58);
      if (significant == 0) {
        significant = 64;
      }
      if (newLeading + significant > 64) {
        throw corrupt(
            bitPos >>> 3,
            "sample " + numRead + ": " + newLeading + " leading zeros plus " + significant
                + " significant bits exceed 64");
      }
      leading = newLeading;
      trailing = 64 - newLeading - significant;
      if (significant <= 64 - 13) {
        xor = (w << 13) >>> (64 - significant);
      } else {
        xor = window(bitPos + 13) >>> (64 - significant);
      }
      bitPos += 13 + significant;
    }
    valueBits ^= xor << trailing;
  }

  // Varints are written 8 bits at a time into the bit stream, so they need not be byte aligned.
  private long readUvarint() {
    long x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = (int) (window(bitPos) >>> 56);
      bitPos += 8;
      if (bitPos > bitLimit) {
        throw corrupt(bitLimit >>> 3, "truncated varint in sample " + numRead);
      }
      if (b < 0x80) {
        if (shift == 63 && b > 1) {
          break;
        }
        return x | ((long) b << shift);
      }
      x |= (long) (b & 0x7F) << shift;
    }
    throw corrupt((bitPos >>> 3) - 1, "varint overflows 64 bits in sample " + numRead);
  }

  // The 64 bits starting at bit position pos (bit 0 = most significant bit of byte 0).
  private long window(int pos) {
    int i = pos >>> 3;
    int shift = pos & 7;
    long w = (long) LONG_BE.get(data, i);
    // For shift == 0 the second term is (byte >>> 8) == 0, so no branch is needed.
    return (w << shift) | ((data[i + 8] & 0xFFL) >>> (8 - shift));
  }

  /**
   * Advances to the first sample with timestamp {@code >= target}; stays put if the current sample
   * already qualifies.
   *
   * @return false if no such sample exists
   */
  public boolean seek(long target) {
    while (numRead == 0 || t < target) {
      if (!next()) {
        return false;
      }
    }
    return true;
  }

  /** Timestamp of the current sample. */
  public long atT() {
    return t;
  }

  /** Value of the current sample. */
  public double atV() {
    return Double.longBitsToDouble(valueBits);
  }

  /** Raw IEEE 754 bits of the current sample's value. */
  public long atValueBits() {
    return valueBits;
  }

  /** Number of samples decoded so far. */
  public int numRead() {
    return numRead;
  }

  long timeDelta() {
    return tDelta;
  }

  long firstTime() {
    return firstTime;
  }

  int leading() {
    return leading;
  }

  int trailing() {
    return trailing;
  }

  int bitPosition() {
    return bitPos;
  }

  private CorruptDataException corrupt(long offset, String reason) {
    numTotal = numRead; // stop: further next() calls return false
    if (source == null) {
      return new CorruptDataException("chunk", "XOR chunk", offset, reason);
    }
    return new CorruptDataException(
        source.description(), "XOR chunk", sourcePosition + offset, reason);
  }
}
