package dev.strata.tsdb.chunkenc;

/**
 * Appends samples to a Gorilla-style XOR chunk, producing exactly the bytes Prometheus 2.42 writes
 * for the same samples (chunk encoding {@link ChunkEncoding#XOR}).
 *
 * <p>Layout: a big-endian {@code uint16} sample count, then a bit stream written most significant
 * bit first. Sample 0 is a zig-zag varint timestamp and the raw 64 value bits; sample 1 a varint
 * timestamp delta and an XOR-coded value; later samples a delta-of-delta timestamp in one of five
 * bit buckets and an XOR-coded value. See {@code docs/formats.md} in the repository.
 *
 * <p>The stream is built in a 64-bit accumulator. After every append the accumulator is stored as
 * one big-endian long at the first incomplete byte, so the buffer always holds a complete, readable
 * chunk, and the whole bytes are then dropped from the accumulator. Steady-state appends allocate
 * nothing.
 *
 * <p>Prometheus's bit stream appends a fresh byte after every whole-byte write, so a chunk whose
 * last write was a whole byte (the 64 value bits of a first sample, or an XOR payload whose
 * significant bits are a multiple of 8) and that ends on a byte boundary carries one empty trailing
 * byte, which Prometheus keeps in the chunk's bytes and files. {@link #byteLength()} counts it too,
 * so that Strata's chunks and segment files are byte-identical to Prometheus's.
 *
 * <p>Timestamps must increase strictly; the appender checks nothing about order because the
 * callers (head, compaction) own that policy and report it in their own terms.
 */
public final class XorChunkAppender {

  /** Most samples an XOR chunk can hold: the count is a 16-bit field. */
  public static final int MAX_SAMPLES = 0xFFFF;

  /** "No window yet": the first non-zero XOR always writes a fresh leading/trailing window. */
  static final int NO_WINDOW = 0xFF;

  // Worst case of one sample: 4 + 64 bits of timestamp, 2 + 5 + 6 + 64 bits of value (< 19 bytes),
  // or a 10-byte varint plus 64 bits for sample 0; plus the slack of the final long store.
  private static final int MAX_BYTES_PER_APPEND = 20 + ChunkBuffer.WRITE_SLACK;

  private static final int HEADER_BYTES = 2;

  private ChunkBuffer buf;
  private int numSamples;

  private long t;
  private long tDelta;
  private long valueBits;
  private int leading;
  private int trailing;
  private long minTime;

  // Bit stream state: acc holds, left-aligned, the bits of bytes accStart.. that are not yet
  // complete bytes. Invariant between appends: 0 <= accBits < 8.
  private long acc;
  private int accBits;
  private int accStart;
  // Whether the last append ended with a whole-byte write, which leaves Prometheus's stream with an
  // empty byte after a byte-aligned end (see the class comment).
  private boolean endsWithWholeByte;

  /** An appender with no chunk yet; call {@link #start} before appending. */
  public XorChunkAppender() {}

  /** Starts a new, empty chunk at the beginning of {@code buf}. */
  public static XorChunkAppender create(ChunkBuffer buf) {
    return new XorChunkAppender().start(buf);
  }

  /**
   * Starts a new, empty chunk at the beginning of {@code buf}, forgetting the previous chunk: one
   * appender can encode any number of chunks without allocating.
   */
  public XorChunkAppender start(ChunkBuffer buf) {
    this.buf = buf;
    buf.ensureCapacity(HEADER_BYTES + ChunkBuffer.WRITE_SLACK);
    buf.putShortBigEndian(0, (short) 0);
    numSamples = 0;
    t = 0;
    tDelta = 0;
    valueBits = 0;
    leading = NO_WINDOW;
    trailing = 0;
    minTime = 0;
    acc = 0;
    accBits = 0;
    accStart = HEADER_BYTES;
    endsWithWholeByte = false;
    return this;
  }

  /**
   * Re-opens the chunk of {@code length} bytes at the start of {@code buf} for appending. The
   * state is recovered by decoding the chunk, exactly as Prometheus does, so that the bytes
   * appended afterwards are the ones Prometheus would append.
   *
   * @throws dev.strata.tsdb.encoding.CorruptDataException if the chunk does not decode
   */
  public static XorChunkAppender reopen(ChunkBuffer buf, int length) {
    XorChunkIterator it = new XorChunkIterator();
    it.reset(buf, length);
    while (it.next()) {
      // decode to the end to recover the encoder state
    }
    XorChunkAppender a = new XorChunkAppender();
    a.buf = buf;
    a.numSamples = it.numDecoded();
    a.t = it.lastTime();
    a.valueBits = it.lastValueBits();
    a.tDelta = it.timeDelta();
    a.minTime = it.firstTime();
    // Prometheus seeds the window from the iterator, whose window starts at 0/0 rather than
    // "none"; only an empty chunk gets a fresh "no window". Reproduce it for identical bytes.
    a.leading = a.numSamples == 0 ? NO_WINDOW : it.leading();
    a.trailing = it.trailing();
    int bitPos = it.bitPosition();
    a.accStart = bitPos >>> 3;
    a.accBits = bitPos & 7;
    // A byte-aligned chunk that is one byte longer than its bits was left by a whole-byte write.
    a.endsWithWholeByte = a.accBits == 0 && length > a.accStart;
    if (a.accBits != 0) {
      byte[] last = new byte[1];
      buf.read(a.accStart, last, 0, 1);
      long keep = -1L << (64 - a.accBits);
      a.acc = ((long) last[0] << 56) & keep;
    }
    buf.ensureCapacity(a.accStart + MAX_BYTES_PER_APPEND);
    return a;
  }

  /**
   * Appends one sample. The value keeps its exact bit pattern (NaN payloads, the staleness marker,
   * negative zero).
   *
   * @throws IllegalStateException if the chunk already holds {@link #MAX_SAMPLES} samples
   */
  public void append(long t, double v) {
    appendBits(t, Double.doubleToRawLongBits(v));
  }

  /** Appends one sample given the raw IEEE 754 bits of its value. */
  public void appendBits(long t, long bits) {
    int n = numSamples;
    if (n < 2) {
      appendFirstSamples(t, bits);
      return;
    }
    if (n == MAX_SAMPLES) {
      throw new IllegalStateException("XOR chunk is full: " + MAX_SAMPLES + " samples");
    }
    buf.ensureCapacity(accStart + MAX_BYTES_PER_APPEND);
    long delta = t - this.t;
    long dod = delta - tDelta;
    // Timestamp code; bucket bounds follow the format: [-(2^(n-1) - 1), 2^(n-1)].
    long tsCode;
    int tsLength;
    if (dod == 0) {
      tsCode = 0;
      tsLength = 1;
    } else if (dod >= -((1 << 13) - 1) && dod <= 1 << 13) {
      tsCode = (0b10L << 14) | (dod & ((1L << 14) - 1));
      tsLength = 16;
    } else if (dod >= -((1 << 16) - 1) && dod <= 1 << 16) {
      tsCode = (0b110L << 17) | (dod & ((1L << 17) - 1));
      tsLength = 20;
    } else if (dod >= -((1 << 19) - 1) && dod <= 1 << 19) {
      tsCode = (0b1110L << 20) | (dod & ((1L << 20) - 1));
      tsLength = 24;
    } else {
      writeBits(0b1111, 4);
      writeBits(dod, 64);
      tsCode = 0;
      tsLength = 0;
    }
    long xor = bits ^ valueBits;
    if (xor == 0) {
      writeBits(tsCode << 1, tsLength + 1); // value bit 0: unchanged
      endsWithWholeByte = false;
    } else {
      endsWithWholeByte = writeValue(tsCode, tsLength, xor);
    }
    this.t = t;
    tDelta = delta;
    valueBits = bits;
    numSamples = n + 1;
    flush();
    buf.putShortBigEndian(0, (short) numSamples);
  }

  private void appendFirstSamples(long t, long bits) {
    buf.ensureCapacity(accStart + MAX_BYTES_PER_APPEND);
    if (numSamples == 0) {
      writeUvarint((t << 1) ^ (t >> 63)); // zig-zag
      writeBits(bits, 64);
      endsWithWholeByte = true;
      minTime = t;
    } else {
      long delta = t - this.t;
      writeUvarint(delta);
      tDelta = delta;
      long xor = bits ^ valueBits;
      if (xor == 0) {
        writeBits(0, 1);
        endsWithWholeByte = false;
      } else {
        endsWithWholeByte = writeValue(0, 0, xor);
      }
    }
    this.t = t;
    valueBits = bits;
    numSamples++;
    flush();
    buf.putShortBigEndian(0, (short) numSamples);
  }

  // Writes the pending timestamp code followed by a non-zero value XOR, in one go when they fit.
  // Returns whether Prometheus's last write for the value is a whole byte: its payload write of
  // `significant` bits ends with one exactly when that is a multiple of 8.
  private boolean writeValue(long tsCode, int tsLength, long xor) {
    int newLeading = Long.numberOfLeadingZeros(xor);
    int newTrailing = Long.numberOfTrailingZeros(xor);
    if (newLeading >= 32) {
      newLeading = 31; // the field has 5 bits
    }
    long header;
    int headerLength;
    int significant;
    if (leading != NO_WINDOW && newLeading >= leading && newTrailing >= trailing) {
      // '10': the XOR fits the current window.
      header = 0b10;
      headerLength = 2;
      significant = 64 - leading - trailing;
    } else {
      // '11', 5 bits of leading zeros, 6 bits of significant-bit count (64 is written as 0).
      leading = newLeading;
      trailing = newTrailing;
      significant = 64 - newLeading - newTrailing;
      header = (0b11L << 11) | ((long) newLeading << 6) | (significant & 63);
      headerLength = 13;
    }
    long payload = xor >>> trailing;
    int prefixLength = tsLength + headerLength;
    if (prefixLength + significant <= 64) {
      writeBits((((tsCode << headerLength) | header) << significant) | payload, prefixLength + significant);
    } else {
      writeBits((tsCode << headerLength) | header, prefixLength);
      writeBits(payload, significant);
    }
    return (significant & 7) == 0;
  }

  private void writeUvarint(long x) {
    while ((x & ~0x7FL) != 0) {
      writeBits((x & 0x7F) | 0x80, 8);
      x >>>= 7;
    }
    writeBits(x, 8);
  }

  /** Appends the low {@code n} bits of {@code value}, 1 <= n <= 64. */
  private void writeBits(long value, int n) {
    long aligned = value << (64 - n);
    int free = 64 - accBits;
    if (n < free) {
      acc |= aligned >>> accBits;
      accBits += n;
    } else {
      // Fill the accumulator, store it, keep the rest. accBits > 0 here unless n == 64.
      acc |= accBits == 0 ? aligned : aligned >>> accBits;
      buf.putLongBigEndian(accStart, acc);
      accStart += Long.BYTES;
      acc = free == 64 ? 0 : aligned << free;
      accBits = n - free;
    }
  }

  // Stores the accumulator and drops its complete bytes.
  private void flush() {
    buf.putLongBigEndian(accStart, acc);
    int whole = accBits >>> 3;
    if (whole != 0) {
      accStart += whole;
      acc <<= whole << 3;
      accBits &= 7;
    }
  }

  /** Number of samples in the chunk. */
  public int numSamples() {
    return numSamples;
  }

  /**
   * Length of the chunk in bytes, header included, as Prometheus stores it: with the empty
   * trailing byte a whole-byte write leaves at a byte-aligned end.
   */
  public int byteLength() {
    return accStart + (accBits != 0 || endsWithWholeByte ? 1 : 0);
  }

  /** Timestamp of the first sample; undefined while the chunk is empty. */
  public long minTime() {
    return minTime;
  }

  /** Timestamp of the last sample; undefined while the chunk is empty. */
  public long maxTime() {
    return t;
  }

  /** The buffer the chunk is written to. */
  public ChunkBuffer buffer() {
    return buf;
  }
}
