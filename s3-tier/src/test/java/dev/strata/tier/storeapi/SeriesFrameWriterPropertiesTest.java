package dev.strata.tier.storeapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tier.storeapi.proto.Series;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Xxh64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A series frame written field by field is, byte for byte, the {@code SeriesResponse} the server
 * built as a message before: for any labels, any chunks (raw or downsampled parts, zero times and
 * hashes, empty data) and any run of them a frame holds.
 */
class SeriesFrameWriterPropertiesTest {

  @Property(tries = 500)
  void aFrameIsTheSerializedMessage(@ForAll("labels") Map<String, String> labelMap,
      @ForAll("chunks") List<AggrChunk> chunks, @ForAll("cut") int[] cut) {
    Labels labels = Labels.fromMap(labelMap);
    int[] sizes = new int[chunks.size()];
    for (int i = 0; i < chunks.size(); i++) {
      sizes[i] = SeriesFrameWriter.size(chunks.get(i));
      assertEquals(chunks.get(i).getSerializedSize(), sizes[i], "size of " + chunks.get(i));
    }
    int from = Math.min(cut[0], chunks.size());
    int to = from + Math.min(cut[1], chunks.size() - from);

    SeriesFrame frame = SeriesFrameWriter.series(labels, chunks, sizes, from, to);

    SeriesResponse expected = SeriesResponse.newBuilder()
        .setSeries(Series.newBuilder()
            .addAllLabels(ProtoLabels.toProto(labels))
            .addAllChunks(chunks.subList(from, to)))
        .build();
    assertArrayEquals(expected.toByteArray(), frame.bytes());
    assertEquals(expected, frame.toResponse());
    assertTrue(frame.series());
    assertEquals(to - from, frame.chunks());
  }

  /**
   * A frame written from chunk bytes referred to in place (the sidecar's frames) is the message
   * with each chunk as a raw {@code AggrChunk} hashed with XXH64: wherever the bytes sit in their
   * array, whatever the times and encoding.
   */
  @Property(tries = 300)
  void aFrameOfChunkReferencesIsTheSerializedMessage(
      @ForAll("labels") Map<String, String> labelMap, @ForAll("chunks") List<AggrChunk> chunks,
      @ForAll("cut") int[] cut, @ForAll("padding") int padding) {
    Labels labels = Labels.fromMap(labelMap);
    ChunkRefs refs = new ChunkRefs();
    List<AggrChunk> expectedChunks = new java.util.ArrayList<>();
    for (AggrChunk c : chunks) {
      Chunk raw = c.hasRaw() ? c.getRaw() : c.getCount();
      byte[] data = raw.getData().toByteArray();
      byte[] padded = new byte[padding + data.length + padding];
      java.util.Arrays.fill(padded, (byte) 0x5a);
      System.arraycopy(data, 0, padded, padding, data.length);
      refs.add(c.getMinTime(), c.getMaxTime(), (byte) raw.getTypeValue(), padded, padding,
          data.length);
      expectedChunks.add(AggrChunk.newBuilder().setMinTime(c.getMinTime())
          .setMaxTime(c.getMaxTime())
          .setRaw(raw.toBuilder().setHash(Xxh64.hash(data, 0, data.length)))
          .build());
    }
    int from = Math.min(cut[0], chunks.size());
    int to = from + Math.min(cut[1], chunks.size() - from);

    SeriesFrame frame = SeriesFrameWriter.series(labels, refs, from, to);

    SeriesResponse expected = SeriesResponse.newBuilder()
        .setSeries(Series.newBuilder()
            .addAllLabels(ProtoLabels.toProto(labels))
            .addAllChunks(expectedChunks.subList(from, to)))
        .build();
    assertArrayEquals(expected.toByteArray(), frame.bytes());
    assertEquals(to - from, frame.chunks());
  }

  @Provide
  Arbitrary<Integer> padding() {
    return Arbitraries.integers().between(0, 9);
  }

  @Property(tries = 50)
  void aWarningFrameIsTheWarningMessage(@ForAll("text") String text) {
    SeriesResponse warning = SeriesResponse.newBuilder().setWarning(text).build();
    SeriesFrame frame = SeriesFrame.of(warning);
    assertEquals(warning, frame.toResponse());
    assertEquals(false, frame.series());
  }

  @Provide
  Arbitrary<Map<String, String>> labels() {
    return Arbitraries.maps(
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
        Arbitraries.strings().withCharRange(' ', '\uD7FF').ofMinLength(1).ofMaxLength(12))
        .ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().ofMaxLength(40);
  }

  @Provide
  Arbitrary<int[]> cut() {
    return Combinators.combine(Arbitraries.integers().between(0, 12),
        Arbitraries.integers().between(0, 12)).as((a, b) -> new int[] {a, b});
  }

  @Provide
  Arbitrary<List<AggrChunk>> chunks() {
    Arbitrary<Chunk> chunk = Combinators.combine(
            Arbitraries.of(Chunk.Encoding.XOR, Chunk.Encoding.HISTOGRAM,
                Chunk.Encoding.FLOAT_HISTOGRAM),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
            Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs()))
        .as((type, data, hash) -> Chunk.newBuilder().setType(type)
            .setData(ByteString.copyFrom(data)).setHash(hash).build());
    Arbitrary<Long> time = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs());
    Arbitrary<AggrChunk> raw = Combinators.combine(time, time, chunk)
        .as((min, max, c) -> AggrChunk.newBuilder().setMinTime(min).setMaxTime(max).setRaw(c)
            .build());
    Arbitrary<AggrChunk> downsampled = Combinators.combine(time, time, chunk, chunk, chunk)
        .as((min, max, count, sum, counter) -> AggrChunk.newBuilder().setMinTime(min)
            .setMaxTime(max).setCount(count).setSum(sum).setMin(Chunk.getDefaultInstance())
            .setCounter(counter).build());
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, raw), net.jqwik.api.Tuple.of(1, downsampled))
        .list().ofMaxSize(12);
  }
}
