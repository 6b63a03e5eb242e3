package dev.strata.tier.prometheus;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.strata.tier.prometheus.proto.ChunkedReadResponse;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.encoding.Varint;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Reads the frames of Prometheus's streamed remote read answer, one {@link ChunkedReadResponse}
 * each, as they arrive. A frame is {@code uvarint(length) | CRC32-Castagnoli(data) as big-endian
 * uint32 | data}; the stream ends after the last whole frame.
 *
 * <p>Anything that does not follow the format (a checksum mismatch, a frame cut off by the end of
 * the stream, a frame over the size limit, data that is not a {@code ChunkedReadResponse}) raises
 * a {@link CorruptDataException} naming the stream and the byte offset in it. Prometheus writes
 * its error text into the stream when a query fails after the answer has begun, so such an error
 * usually shows up here as a corrupt frame.
 *
 * <p>A frame's message refers to the frame's bytes for its chunk data rather than copying them: a
 * sidecar passes them on as they are.
 *
 * <p>Not thread-safe.
 */
public final class ChunkedReadFrames implements Closeable {

  /**
   * Prometheus's default limit on one frame ({@code remote.DefaultChunkedReadLimit}, 5e7 bytes),
   * which Thanos's sidecar reads with. Prometheus cuts frames at about 1 MiB of chunks, so only a
   * series with a very large label set, or a broken stream, comes near it.
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 50_000_000;

  private static final int CRC_BYTES = 4;

  private final InputStream in;
  private final String source;
  private final int maxFrameBytes;
  private final CRC32C crc = new CRC32C();
  private final byte[] header = new byte[Varint.MAX_LEN_64];
  private long offset;

  /**
   * Frames of {@code in}, which the reader owns and closes.
   *
   * @param source what the stream is, for error messages, e.g. the URL it was read from
   * @param maxFrameBytes the largest frame data accepted
   */
  public ChunkedReadFrames(InputStream in, String source, int maxFrameBytes) {
    Objects.requireNonNull(in, "in");
    this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 64 * 1024);
    this.source = Objects.requireNonNull(source, "source");
    if (maxFrameBytes < 0) {
      throw new IllegalArgumentException("maxFrameBytes must not be negative: " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * The next frame, or empty at the end of the stream.
   *
   * @throws CorruptDataException if the stream does not follow the frame format
   * @throws IOException if reading the stream fails
   */
  public Optional<ChunkedReadResponse> next() throws IOException {
    Optional<Frame> frame = nextFrame();
    if (frame.isEmpty()) {
      return Optional.empty();
    }
    Frame f = frame.get();
    try {
      CodedInputStream input = CodedInputStream.newInstance(f.data(), 0, f.data().length);
      input.enableAliasing(true);
      return Optional.of(ChunkedReadResponse.parseFrom(input));
    } catch (InvalidProtocolBufferException e) {
      throw notAResponse(f, e);
    }
  }

  /**
   * The data of one frame, checksum verified, and where it starts in the stream.
   *
   * @param data the frame's data, in an array of its own that is never written again
   * @param offset the offset of the data in the stream
   */
  public record Frame(byte[] data, long offset) {}

  /**
   * The next frame's data, checked against its checksum but not parsed, or empty at the end of the
   * stream.
   *
   * @throws CorruptDataException if the stream does not follow the frame format
   * @throws IOException if reading the stream fails
   */
  public Optional<Frame> nextFrame() throws IOException {
    long frameStart = offset;
    int first = in.read();
    if (first < 0) {
      return Optional.empty();
    }
    offset++;
    int length = readLength(first, frameStart);
    long crcStart = offset;
    if (!readFully(header, CRC_BYTES)) {
      throw truncated(frameStart, "its checksum");
    }
    long expected =
        (header[0] & 0xffL) << 24 | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8
            | (header[3] & 0xff);
    // A new array for every frame: what is read from it refers to it (its chunk bytes are not
    // copied out), so it must not be overwritten by the next frame.
    byte[] data = new byte[length];
    long dataStart = offset;
    if (!readFully(data, length)) {
      throw truncated(frameStart, length + " data bytes"); // said only then: a frame per series
    }
    crc.reset();
    crc.update(data, 0, length);
    if (crc.getValue() != expected) {
      throw new CorruptDataException(
          source, "remote read frame", frameStart,
          String.format(
              "checksum mismatch: the frame says %08x (at offset %d), its %d data bytes have %08x",
              expected, crcStart, length, crc.getValue()));
    }
    return Optional.of(new Frame(data, dataStart));
  }

  /** The failure for frame data that is not a {@code ChunkedReadResponse}. */
  CorruptDataException notAResponse(Frame frame, InvalidProtocolBufferException e) {
    return new CorruptDataException(
        source, "remote read frame data", frame.offset(),
        "not a prometheus.ChunkedReadResponse: " + e.getMessage(), e);
  }

  /** Bytes of the stream read so far. */
  public long offset() {
    return offset;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** The uvarint frame length whose first byte is {@code first}, checked against the limit. */
  private int readLength(int first, long frameStart) throws IOException {
    header[0] = (byte) first;
    int n = 1;
    while ((header[n - 1] & 0x80) != 0 && n < header.length) {
      int b = in.read();
      if (b < 0) {
        throw truncated(frameStart, "its length");
      }
      header[n++] = (byte) b;
      offset++;
    }
    if (Varint.uvarintLength(header, 0, n) <= 0) {
      throw new CorruptDataException(
          source, "remote read frame", frameStart, "the frame length overflows 64 bits");
    }
    long length = Varint.uvarint(header, 0, n);
    if (length < 0 || length > maxFrameBytes) {
      throw new CorruptDataException(
          source, "remote read frame", frameStart,
          "a frame of " + Long.toUnsignedString(length) + " bytes exceeds the limit of "
              + maxFrameBytes + " bytes");
    }
    return (int) length;
  }

  /** Whether all {@code len} bytes were there. */
  private boolean readFully(byte[] dst, int len) throws IOException {
    int read = in.readNBytes(dst, 0, len);
    offset += read;
    return read == len;
  }

  private CorruptDataException truncated(long frameStart, String what) {
    return new CorruptDataException(
        source, "remote read frame", offset,
        "the stream ends inside the frame that starts at offset " + frameStart + ", in " + what);
  }
}
