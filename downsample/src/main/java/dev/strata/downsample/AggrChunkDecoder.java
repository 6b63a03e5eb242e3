package dev.strata.downsample;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.encoding.ByteArraySource;
import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.encoding.Varint;

/**
 * Reads Thanos's AggrChunk (see {@link AggrChunkEncoder} for the layout): splits it into its five
 * aggregates and points {@link XorChunkIterator}s at them. Reusable from chunk to chunk.
 *
 * <p>The whole chunk is parsed on {@link #reset}, so damage anywhere in its framing is found at
 * once rather than when some aggregate is first asked for, and every error is a {@link
 * CorruptDataException} naming the source (a segment file), the section {@value #SECTION} and the
 * byte offset in that source. Thanos ignores bytes after the fifth entry; this reader rejects them,
 * because Thanos never writes any and their presence means the length field or an entry is wrong.
 *
 * <p>Aggregates of native histograms (encodings 2 and 3) are framed correctly but not decoded:
 * {@link #open} refuses them.
 */
public final class AggrChunkDecoder {
  /** Section name in error messages. */
  public static final String SECTION = "aggregate chunk";

  private static final int XOR_HEADER_BYTES = 2;

  private ByteSource source;
  private long position;
  private int length;
  private byte[] bytes = new byte[512];
  private final int[] offsets = new int[AggrType.COUNT_OF_TYPES];
  private final int[] lengths = new int[AggrType.COUNT_OF_TYPES];
  private final byte[] encodings = new byte[AggrType.COUNT_OF_TYPES];

  /**
   * Parses the {@code length}-byte chunk data at {@code position} in {@code source} (the bytes
   * after the segment's encoding byte).
   *
   * @throws CorruptDataException if the framing is broken
   */
  public AggrChunkDecoder reset(ByteSource source, long position, int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative chunk length " + length);
    }
    if (bytes.length < length) {
      bytes = new byte[Math.max(length, bytes.length * 2)];
    }
    source.read(position, bytes, 0, length);
    this.source = source;
    this.position = position;
    this.length = length;
    parse();
    return this;
  }

  /** Parses {@code data[off, off + len)}; errors name {@code description} and offsets in the range. */
  public AggrChunkDecoder reset(byte[] data, int off, int len, String description) {
    return reset(new ByteArraySource(data, off, len, description), 0, len);
  }

  private void parse() {
    int pos = 0;
    for (int i = 0; i < AggrType.COUNT_OF_TYPES; i++) {
      String name = AggrType.of(i).label();
      int n = Varint.uvarintLength(bytes, pos, length);
      if (n == 0) {
        throw corrupt(pos, "the chunk ends inside or before the length of the " + name
            + " aggregate (" + length + "-byte chunk)");
      }
      if (n < 0) {
        throw corrupt(pos, "the length of the " + name + " aggregate overflows 64 bits");
      }
      long l = Varint.uvarint(bytes, pos, length);
      int entry = pos;
      pos += n;
      if (l == 0) {
        offsets[i] = -1;
        lengths[i] = 0;
        encodings[i] = ChunkEncoding.NONE;
        continue;
      }
      if (l > length - pos - 1L) {
        throw corrupt(entry, "the " + name + " aggregate's encoding byte and " + l
            + " bytes run past the end of the " + length + "-byte chunk");
      }
      byte encoding = bytes[pos];
      if (encoding == ChunkEncoding.XOR) {
        if (l < XOR_HEADER_BYTES) {
          throw corrupt(entry, "the " + name + " aggregate is an XOR chunk of " + l
              + " byte, shorter than its 2-byte header");
        }
      } else if (encoding != ChunkEncoding.HISTOGRAM && encoding != ChunkEncoding.FLOAT_HISTOGRAM) {
        throw corrupt(pos, "the " + name + " aggregate has unknown encoding " + (encoding & 0xff));
      }
      encodings[i] = encoding;
      offsets[i] = pos + 1;
      lengths[i] = (int) l;
      pos += 1 + (int) l;
    }
    if (pos != length) {
      throw corrupt(pos, (length - pos) + " bytes follow the last aggregate of the " + length
          + "-byte chunk");
    }
  }

  private CorruptDataException corrupt(int at, String reason) {
    return new CorruptDataException(source.description(), SECTION, position + at, reason);
  }

  /** Whether the aggregate is present. */
  public boolean has(AggrType type) {
    return lengths[type.ordinal()] > 0;
  }

  /** The aggregate's encoding byte ({@link ChunkEncoding#NONE} if absent). */
  public byte encoding(AggrType type) {
    return encodings[type.ordinal()];
  }

  /** Length of the aggregate's chunk bytes, 0 if absent. */
  public int length(AggrType type) {
    return lengths[type.ordinal()];
  }

  /** The parsed chunk's bytes: {@code [0, chunkLength())}; valid until the next reset. */
  public byte[] bytes() {
    return bytes;
  }

  /** Length of the whole chunk. */
  public int chunkLength() {
    return length;
  }

  /** Offset of the aggregate's chunk bytes within {@link #bytes()}; -1 if absent. */
  public int offset(AggrType type) {
    return offsets[type.ordinal()];
  }

  /**
   * Samples in the aggregate's XOR chunk (its header), 0 if absent. For {@link AggrType#COUNT} it is
   * the number of windows, which Thanos reports as the chunk's sample count.
   */
  public int numSamples(AggrType type) {
    int i = type.ordinal();
    if (lengths[i] == 0 || encodings[i] != ChunkEncoding.XOR) {
      return 0;
    }
    int at = offsets[i];
    return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
  }

  /**
   * Points {@code it} at the aggregate's samples. Decoding errors name the source and the offset
   * of the aggregate's bytes in it.
   *
   * @return false if the aggregate is absent
   * @throws UnsupportedOperationException if the aggregate is a native histogram chunk
   */
  public boolean open(AggrType type, XorChunkIterator it) {
    int i = type.ordinal();
    if (lengths[i] == 0) {
      return false;
    }
    if (encodings[i] != ChunkEncoding.XOR) {
      throw new UnsupportedOperationException(
          source.description() + ": " + SECTION + " at offset " + position + ": the "
              + type.label() + " aggregate is a " + ChunkEncoding.name(encodings[i])
              + " chunk; native histogram aggregates are not supported");
    }
    it.reset(source, position + offsets[i], lengths[i]);
    return true;
  }

  /** Where the chunk came from, for messages. */
  public String description() {
    return source == null ? "<none>" : source.description() + " at offset " + position;
  }
}
