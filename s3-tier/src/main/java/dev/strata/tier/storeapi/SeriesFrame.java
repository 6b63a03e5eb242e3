package dev.strata.tier.storeapi;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One {@code SeriesResponse} of a {@code Series} answer, already serialized: the server writes its
 * bytes straight from the chunks it read (see {@link SeriesFrameWriter}) and gRPC sends them as
 * they are, instead of building a message per series and serializing it again.
 *
 * @param bytes the serialized {@code thanos.SeriesResponse}; not modified once made
 * @param series whether it is a series (rather than a warning or hints)
 * @param chunks the chunks of the series
 */
public record SeriesFrame(byte[] bytes, boolean series, int chunks) {

  /** The frame of a response built as a message (warnings). */
  static SeriesFrame of(SeriesResponse response) {
    return new SeriesFrame(response.toByteArray(), response.hasSeries(),
        response.hasSeries() ? response.getSeries().getChunksCount() : 0);
  }

  /**
   * The message these bytes are.
   *
   * @throws IllegalStateException never for a frame this package wrote
   */
  public SeriesResponse toResponse() {
    try {
      return SeriesResponse.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a series frame that is not a SeriesResponse", e);
    }
  }

  /** gRPC's view of frames: their bytes, handed over without another copy. */
  static final class Marshaller implements MethodDescriptor.Marshaller<SeriesFrame> {
    @Override
    public InputStream stream(SeriesFrame frame) {
      return new Bytes(frame.bytes());
    }

    @Override
    public SeriesFrame parse(InputStream stream) {
      try {
        return of(SeriesResponse.parseFrom(stream));
      } catch (IOException e) {
        throw new IllegalArgumentException("not a SeriesResponse: " + e.getMessage(), e);
      }
    }
  }

  /** The bytes of a frame, which gRPC copies into its buffers in one call ({@link Drainable}). */
  private static final class Bytes extends ByteArrayInputStream implements KnownLength, Drainable {
    Bytes(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }

    @Override
    public synchronized int available() {
      return count - pos;
    }
  }
}
