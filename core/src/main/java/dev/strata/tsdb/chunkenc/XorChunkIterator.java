package dev.strata.tsdb.chunkenc;

import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes an XOR chunk with primitive accessors; reusable across chunks.
 *
 * <p>Usage: {@code reset(...)}, then {@code while (it.next()) { it.atT(); it.atV(); }}.
 *
 * <p>How it is fast: {@code reset} copies the chunk into a private array of big-endian 64-bit
 * words (so decoding is one loop over {@code long[]} whether the chunk came from the heap, the
 * off-heap arena or a mapped file, and a head chunk that keeps growing cannot disturb it). Samples
 * are then decoded in batches of {@value #BATCH} by a loop that keeps all decoder state in local
 * variables; {@link #next()} only steps through the batch, which keeps it small enough to be
 * inlined into the caller's loop. Any 64 bits at any bit position come from two word loads.
 *
 * <p>How it stays safe: the word array has zero padding past the chunk, so loads can run ahead
 * harmlessly, and the bit position is checked after every sample; a truncated or malformed chunk
 * raises {@link CorruptDataException} (samples of earlier batches have already been returned, as
 * with any streaming decoder). Nothing is allocated once the arrays have grown to the largest
 * chunk seen.
 */
public final class XorChunkIterator {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  static final int BATCH = 64;

  private static final int HEADER_BITS = 16;
  // A sample spans at most 145 bits and a window load reads one word beyond its start word.
  private static final int PADDING_WORDS = 6;

  private long[] words = new long[64];
  private byte[] scratch = new byte[256];
  private int bitLimit;
  // Where the chunk came from, for error messages only; kept as parts to avoid building strings.
  private ByteSource source;
  private long sourcePosition;

  private int numTotal;
  private int numDecoded;

  // Decoder state after the last decoded sample.
  private int bitPos;
  private long t;
  private long tDelta;
  private long valueBits;
  private long firstTime;
  private int leading;
  private int trailing;

  // The current batch; batchIndex is the sample at() refers to.
  // Sample i of the batch: time at batch[2 * i], value bits at batch[2 * i + 1].
  private final long[] batch = new long[2 * BATCH];
  private int batchLength;
  private int batchIndex;

  /** Starts decoding the chunk in {@code src[off, off + len)}. */
  public XorChunkIterator reset(byte[] src, int off, int len) {
    return reset(src, off, len, -1);
  }

  /**
   * Starts decoding the first {@code numSamples} samples of the chunk in {@code src[off, off +
   * len)}; a negative {@code numSamples} means all.
   */
  public XorChunkIterator reset(byte[] src, int off, int len, int numSamples) {
    load(src, off, len);
    return start(len, numSamples, null, 0);
  }

  /**
   * Starts decoding the {@code len}-byte chunk data at {@code position} in {@code src}; errors name
   * the source and the offset within it.
   */
  public XorChunkIterator reset(ByteSource src, long position, int len) {
    byte[] bytes = scratch(len);
    src.read(position, bytes, 0, len);
    load(bytes, 0, len);
    return start(len, -1, src, position);
  }

  /** Starts decoding the first {@code len} bytes of {@code buf}. */
  public XorChunkIterator reset(ChunkBuffer buf, int len) {
    return reset(buf, len, -1);
  }

  /**
   * Starts decoding the first {@code numSamples} samples of the first {@code len} bytes of {@code
   * buf}: for a chunk that is being appended to, whose count field may run ahead of a snapshot.
   * A negative {@code numSamples} means all samples.
   */
  public XorChunkIterator reset(ChunkBuffer buf, int len, int numSamples) {
    byte[] bytes = scratch(len);
    buf.read(0, bytes, 0, len);
    load(bytes, 0, len);
    return start(len, numSamples, null, 0);
  }

  private byte[] scratch(int len) {
    if (len < 0) {
      throw new IllegalArgumentException("negative chunk length " + len);
    }
    if (scratch.length < len) {
      scratch = new byte[Integer.highestOneBit(len) << 1];
    }
    return scratch;
  }

  // Packs bytes into big-endian words followed by zero padding.
  private void load(byte[] src, int off, int len) {
    if (len < 0) {
      throw new IllegalArgumentException("negative chunk length " + len);
    }
    int fullWords = len >>> 3;
    int needed = fullWords + 1 + PADDING_WORDS;
    if (words.length < needed) {
      words = new long[Integer.highestOneBit(needed) << 1];
    }
    long[] w = words;
    for (int i = 0; i < fullWords; i++) {
      w[i] = (long) LONG_BE.get(src, off + (i << 3));
    }
    long tail = 0;
    int tailBytes = len & 7;
    for (int i = 0; i < tailBytes; i++) {
      tail |= (src[off + (fullWords << 3) + i] & 0xFFL) << (56 - 8 * i);
    }
    w[fullWords] = tail;
    Arrays.fill(w, fullWords + 1, needed, 0L);
  }

  private XorChunkIterator start(int len, int numSamples, ByteSource source, long position) {
    this.source = source;
    this.sourcePosition = position;
    batchLength = 0;
    batchIndex = -1;
    numDecoded = 0;
    if (len < 2) {
      numTotal = 0;
      throw corrupt(0, "chunk of " + len + " bytes is shorter than its 2-byte header");
    }
    bitLimit = len << 3;
    int headerCount = (int) (words[0] >>> 48);
    numTotal = numSamples >= 0 ? Math.min(numSamples, headerCount) : headerCount;
    bitPos = HEADER_BITS;
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
    int i = batchIndex + 1;
    if (i < batchLength) {
      batchIndex = i;
      return true;
    }
    return nextBatch();
  }

  private boolean nextBatch() {
    if (numDecoded >= numTotal) {
      batchIndex = batchLength; // stays exhausted
      return false;
    }
    int k = 0;
    while (numDecoded < 2 && numDecoded < numTotal) {
      decodeFirstSamples();
      batch[2 * k] = t;
      batch[2 * k + 1] = valueBits;
      k++;
    }
    k = decodeRegularSamples(k);
    batchLength = k;
    batchIndex = 0;
    return true;
  }

  // Samples 0 and 1 have their own layouts; they are decoded one at a time.
  private void decodeFirstSamples() {
    if (numDecoded == 0) {
      long zigzag = readUvarint();
      t = (zigzag >>> 1) ^ -(zigzag & 1);
      firstTime = t;
      valueBits = window(words, bitPos);
      bitPos += 64;
    } else {
      tDelta = readUvarint();
      t += tDelta;
      int p = readValue(bitPos);
      bitPos = p;
    }
    checkWithinChunk(bitPos, numDecoded);
    numDecoded++;
  }

  // Decodes samples 2.. of the chunk into the batch arrays, starting at batch slot k.
  //
  // The next 128 bits of the stream sit in two registers, hi and lo, with s bits of hi already
  // consumed; a window is then two shifts, with no memory load on the loop's critical path, and
  // the loads that refill lo walk the array sequentially. The data-dependent branches are kept:
  // on real data they predict well, and prediction lets the CPU run ahead of the bit position.
  private int decodeRegularSamples(int k) {
    // Few live variables on purpose: the loop must fit in registers.
    final long[] w = words;
    final long[] batch = this.batch;
    int wi = (bitPos >>> 6) + 1; // index of the word after hi
    long hi = w[wi - 1];
    long lo = w[wi];
    int s = bitPos & 63;
    // Up to this word the bit position cannot exceed the chunk; past it, it is checked exactly.
    final int safeWords = bitLimit >>> 6;
    long time = t;
    long delta = tDelta;
    long v = valueBits;
    int trail = trailing;
    int significant = 64 - leading - trailing;
    final int kStart = k;
    final int kEnd = k + Math.min(numTotal - numDecoded, BATCH - k);
    for (; k < kEnd; k++) {
      long x = (hi << s) | (lo >>> 1 >>> ~s);
      if (x >= 0) { // delta of delta 0
        s += 1;
      } else {
        int ones = Long.numberOfLeadingZeros(~x);
        if (ones == 1) {
          delta += signed((x << 2) >>> (64 - 14), 14);
          s += 2 + 14;
        } else if (ones == 2) {
          delta += signed((x << 3) >>> (64 - 17), 17);
          s += 3 + 17;
        } else if (ones == 3) {
          delta += signed((x << 4) >>> (64 - 20), 20);
          s += 4 + 20;
        } else {
          s += 4;
          if (s >= 64) {
            hi = lo;
            lo = w[++wi];
            s -= 64;
          }
          delta += (hi << s) | (lo >>> 1 >>> ~s);
          s += 64;
        }
      }
      if (s >= 64) {
        hi = lo;
        lo = w[++wi];
        s -= 64;
      }
      time += delta;

      x = (hi << s) | (lo >>> 1 >>> ~s);
      if (x >= 0) { // the value repeats
        s += 1;
      } else {
        int header;
        if ((x << 1) >= 0) { // 10: XOR within the current window
          header = 2;
        } else { // 11: a new window
          int newLead = (int) ((x << 2) >>> 59);
          significant = (int) ((x << 7) >>> 58);
          if (significant == 0) {
            significant = 64;
          }
          trail = 64 - newLead - significant;
          if (trail < 0) {
            numDecoded += k - kStart;
            throw corrupt(
                (((wi - 1) << 6) + s) >>> 3,
                "sample " + numDecoded + ": " + newLead + " leading zeros plus " + significant
                    + " significant bits exceed 64");
          }
          header = 13;
        }
        long xor;
        if (header + significant <= 64) {
          xor = (x << header) >>> (64 - significant);
          s += header + significant;
        } else {
          s += header;
          if (s >= 64) {
            hi = lo;
            lo = w[++wi];
            s -= 64;
          }
          xor = ((hi << s) | (lo >>> 1 >>> ~s)) >>> (64 - significant);
          s += significant;
        }
        v ^= xor << trail;
      }
      if (s >= 64) {
        hi = lo;
        lo = w[++wi];
        s -= 64;
      }
      if (wi > safeWords && ((wi - 1) << 6) + s > bitLimit) {
        numDecoded += k - kStart;
        checkWithinChunk(((wi - 1) << 6) + s, numDecoded);
      }
      batch[2 * k] = time;
      batch[2 * k + 1] = v;
    }
    bitPos = ((wi - 1) << 6) + s;
    t = time;
    tDelta = delta;
    valueBits = v;
    leading = 64 - significant - trail;
    trailing = trail;
    numDecoded += k - kStart;
    return k;
  }

  // Decodes one XOR-coded value at bit p into the decoder state; returns the new bit position.
  private int readValue(int p) {
    long x = window(words, p);
    if (x >= 0) {
      return p + 1;
    }
    long xor;
    if ((x << 1) >= 0) {
      int significant = 64 - leading - trailing;
      xor = window(words, p + 2) >>> (64 - significant);
      p += 2 + significant;
    } else {
      int newLead = (int) ((x << 2) >>> 59);
      int significant = (int) ((x << 7) >>> 58);
      if (significant == 0) {
        significant = 64;
      }
      if (newLead + significant > 64) {
        throw corrupt(
            p >>> 3,
            "sample " + numDecoded + ": " + newLead + " leading zeros plus " + significant
                + " significant bits exceed 64");
      }
      leading = newLead;
      trailing = 64 - newLead - significant;
      xor = window(words, p + 13) >>> (64 - significant);
      p += 13 + significant;
    }
    valueBits ^= xor << trailing;
    return p;
  }

  // Sign rule of the format's reader: values above 2^(size-1) are negative.
  private static long signed(long bits, int size) {
    return bits > (1L << (size - 1)) ? bits - (1L << size) : bits;
  }

  // Varints are written 8 bits at a time into the bit stream, so they need not be byte aligned.
  private long readUvarint() {
    long x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = (int) (window(words, bitPos) >>> 56);
      bitPos += 8;
      if (bitPos > bitLimit) {
        throw corrupt(bitLimit >>> 3, "truncated varint in sample " + numDecoded);
      }
      if (b < 0x80) {
        if (shift == 63 && b > 1) {
          break;
        }
        return x | ((long) b << shift);
      }
      x |= (long) (b & 0x7F) << shift;
    }
    throw corrupt((bitPos >>> 3) - 1, "varint overflows 64 bits in sample " + numDecoded);
  }

  private void checkWithinChunk(int p, int sample) {
    if (p > bitLimit) {
      throw corrupt(
          bitLimit >>> 3,
          "truncated: sample " + sample + " of " + numTotal + " ends at bit " + p
              + " but the chunk has only " + bitLimit + " bits");
    }
  }

  // The 64 bits starting at bit position p (bit 0 = most significant bit of word 0). For a
  // word-aligned p the second term is shifted out entirely, so no branch is needed.
  private static long window(long[] w, int p) {
    int i = p >>> 6;
    return (w[i] << p) | (w[i + 1] >>> 1 >>> ~p);
  }

  /**
   * Advances to the first sample with timestamp {@code >= target}; stays put if the current sample
   * already qualifies.
   *
   * @return false if no such sample exists
   */
  public boolean seek(long target) {
    if (batchIndex >= 0 && batchIndex < batchLength && batch[2 * batchIndex] >= target) {
      return true;
    }
    while (next()) {
      if (batch[2 * batchIndex] >= target) {
        return true;
      }
    }
    return false;
  }

  /** Timestamp of the current sample. */
  public long atT() {
    return batch[2 * batchIndex];
  }

  /** Value of the current sample. */
  public double atV() {
    return Double.longBitsToDouble(batch[2 * batchIndex + 1]);
  }

  /** Raw IEEE 754 bits of the current sample's value. */
  public long atValueBits() {
    return batch[2 * batchIndex + 1];
  }

  /** Number of samples returned by {@link #next()} so far. */
  public int numRead() {
    return numDecoded - batchLength + Math.min(batchIndex + 1, batchLength);
  }

  // Decoder state for re-opening a chunk; valid once every sample has been decoded.
  int numDecoded() {
    return numDecoded;
  }

  long lastTime() {
    return t;
  }

  long lastValueBits() {
    return valueBits;
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
    numTotal = numDecoded; // stop: further next() calls return false
    batchLength = 0;
    batchIndex = -1;
    if (source == null) {
      return new CorruptDataException("chunk", "XOR chunk", offset, reason);
    }
    return new CorruptDataException(
        source.description(), "XOR chunk", sourcePosition + offset, reason);
  }
}
