package dev.strata.tier.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.strata.tier.prometheus.proto.Chunk;
import dev.strata.tier.prometheus.proto.ChunkedReadResponse;
import dev.strata.tier.prometheus.proto.ChunkedSeries;
import dev.strata.tier.prometheus.proto.Label;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The streamed remote read frame format: what Prometheus's chunked writer writes reads back frame
 * for frame, and any damage (a changed byte, a cut) is reported with an offset in the stream
 * rather than read as data.
 */
class ChunkedReadFramesPropertiesTest {
  private static final String SOURCE = "test stream";

  @Property(tries = 200)
  void framesReadBackAsWritten(@ForAll("messages") List<ChunkedReadResponse> messages)
      throws IOException {
    byte[] stream = FrameWriter.frames(messages);
    assertEquals(messages, readAll(stream, ChunkedReadFrames.DEFAULT_MAX_FRAME_BYTES));
  }

  @Property(tries = 300)
  void anyChangedByteIsDetectedWithAnOffset(
      @ForAll("nonEmptyMessages") List<ChunkedReadResponse> messages,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    byte[] stream = FrameWriter.frames(messages);
    byte[] damaged = stream.clone();
    int at = position % damaged.length;
    damaged[at] ^= (byte) flip;
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> readAll(damaged, ChunkedReadFrames.DEFAULT_MAX_FRAME_BYTES),
            "byte " + at + " of " + damaged.length + " changed");
    assertOffsetWithin(e, damaged.length);
  }

  @Property(tries = 300)
  void aCutInsideAFrameIsDetectedWithAnOffset(
      @ForAll("nonEmptyMessages") List<ChunkedReadResponse> messages,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) {
    byte[] stream = FrameWriter.frames(messages);
    List<Integer> boundaries = frameEnds(messages);
    int cut = position % stream.length;
    byte[] truncated = Arrays.copyOf(stream, cut);
    if (boundaries.contains(cut)) {
      // A cut between frames is a shorter, valid stream.
      return;
    }
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> readAll(truncated, ChunkedReadFrames.DEFAULT_MAX_FRAME_BYTES),
            "cut at " + cut + " of " + stream.length);
    assertEquals(cut, e.offset(), e.getMessage());
    assertTrue(e.getMessage().contains("ends inside the frame"), e.getMessage());
  }

  @Test
  void aFrameOverTheLimitIsRefusedBeforeItIsRead() {
    ChunkedReadResponse big = message(3, 2000);
    byte[] stream = FrameWriter.frames(List.of(message(1, 10), big));
    int firstFrame = FrameWriter.frames(List.of(message(1, 10))).length;
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> readAll(stream, 1000));
    assertEquals(firstFrame, e.offset());
    assertTrue(e.getMessage().contains("exceeds the limit of 1000 bytes"), e.getMessage());
    assertTrue(e.getMessage().startsWith("corrupt test stream: "), e.getMessage());
  }

  @Test
  void aLengthOverflowingSixtyFourBitsIsCorrupt() {
    byte[] stream = new byte[12];
    Arrays.fill(stream, (byte) 0xff);
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> readAll(stream, 1000));
    assertEquals(0, e.offset());
  }

  @Test
  void dataThatIsNotAChunkedReadResponseIsCorrupt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter.frame(out, new byte[] {(byte) 0xff, (byte) 0xff, 0x01}); // an invalid tag
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> readAll(out.toByteArray(), 1000));
    assertEquals(5, e.offset(), e.getMessage());
  }

  @Test
  void anEmptyStreamHasNoFrames() throws IOException {
    assertEquals(List.of(), readAll(new byte[0], 1000));
  }

  @Test
  void framesAreReadAsTheyArriveNotWhenTheStreamEnds() throws IOException {
    byte[] first = FrameWriter.frames(List.of(message(1, 10)));
    // A stream that fails if read past the first frame: the reader must not read ahead of it.
    InputStream slow =
        new InputStream() {
          private int i;

          @Override
          public int read() throws IOException {
            if (i >= first.length) {
              throw new IOException("read past the first frame");
            }
            return first[i++] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (i >= first.length) {
              throw new IOException("read past the first frame");
            }
            int n = Math.min(len, first.length - i);
            System.arraycopy(first, i, b, off, n);
            i += n;
            return n;
          }
        };
    try (ChunkedReadFrames frames = new ChunkedReadFrames(slow, SOURCE, 1000)) {
      assertEquals(Optional.of(message(1, 10)), frames.next());
      assertEquals(first.length, frames.offset());
    }
  }

  private static void assertOffsetWithin(CorruptDataException e, int length) {
    assertTrue(e.offset() >= 0 && e.offset() <= length, e.getMessage());
    assertTrue(e.getMessage().contains(" at offset " + e.offset()), e.getMessage());
  }

  private static List<ChunkedReadResponse> readAll(byte[] stream, int limit) throws IOException {
    List<ChunkedReadResponse> out = new ArrayList<>();
    try (ChunkedReadFrames frames =
        new ChunkedReadFrames(new ByteArrayInputStream(stream), SOURCE, limit)) {
      for (Optional<ChunkedReadResponse> f = frames.next(); f.isPresent(); f = frames.next()) {
        out.add(f.get());
      }
      assertEquals(stream.length, frames.offset());
    }
    return out;
  }

  private static List<Integer> frameEnds(List<ChunkedReadResponse> messages) {
    List<Integer> ends = new ArrayList<>();
    int end = 0;
    ends.add(0);
    for (ChunkedReadResponse m : messages) {
      end += FrameWriter.frames(List.of(m)).length;
      ends.add(end);
    }
    return ends;
  }

  private static ChunkedReadResponse message(int series, int dataBytes) {
    ChunkedReadResponse.Builder b = ChunkedReadResponse.newBuilder();
    for (int i = 0; i < series; i++) {
      b.addChunkedSeries(
          ChunkedSeries.newBuilder()
              .addLabels(Label.newBuilder().setName("__name__").setValue("m" + i))
              .addChunks(
                  Chunk.newBuilder()
                      .setMinTimeMs(i)
                      .setMaxTimeMs(i + 1000)
                      .setType(Chunk.Encoding.XOR)
                      .setData(ByteString.copyFrom(new byte[dataBytes]))));
    }
    return b.build();
  }

  @Provide
  Arbitrary<List<ChunkedReadResponse>> messages() {
    return message().list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<ChunkedReadResponse>> nonEmptyMessages() {
    return message().list().ofMinSize(1).ofMaxSize(6);
  }

  private static Arbitrary<ChunkedReadResponse> message() {
    Arbitrary<Label> label =
        Combinators.combine(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMaxLength(12))
            .as((n, v) -> Label.newBuilder().setName(n).setValue(v).build());
    Arbitrary<Chunk> chunk =
        Combinators.combine(
                Arbitraries.longs(),
                Arbitraries.longs(),
                Arbitraries.of(Chunk.Encoding.XOR, Chunk.Encoding.HISTOGRAM),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
            .as(
                (min, max, type, data) ->
                    Chunk.newBuilder()
                        .setMinTimeMs(min)
                        .setMaxTimeMs(max)
                        .setType(type)
                        .setData(ByteString.copyFrom(data))
                        .build());
    Arbitrary<ChunkedSeries> series =
        Combinators.combine(label.list().ofMaxSize(5), chunk.list().ofMaxSize(4))
            .as((ls, cs) -> ChunkedSeries.newBuilder().addAllLabels(ls).addAllChunks(cs).build());
    return Combinators.combine(series.list().ofMaxSize(3), Arbitraries.longs().between(0, 3))
        .as(
            (ss, q) ->
                ChunkedReadResponse.newBuilder().addAllChunkedSeries(ss).setQueryIndex(q).build());
  }
}
