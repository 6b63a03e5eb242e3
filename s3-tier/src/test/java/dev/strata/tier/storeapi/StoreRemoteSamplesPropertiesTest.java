package dev.strata.tier.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.storage.ChunkListSamples;
import dev.strata.tsdb.storage.SampleIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Samples cut into XOR chunks (some repeated in a second, overlapping chunk, as overlapping blocks
 * give them), sent as StoreAPI chunks and read back: the client yields each timestamp once, in
 * order, within its range, and seeks like any Strata iterator.
 */
class StoreRemoteSamplesPropertiesTest {

  @Property(tries = 300)
  void chunksDecodeToTheSamplesInRange(
      @ForAll @Size(max = 400) List<@LongRange(min = 0, max = 5_000) Long> times,
      @ForAll @IntRange(min = 1, max = 150) int perChunk,
      @ForAll boolean overlap,
      @ForAll @LongRange(min = -10, max = 5_010) long mint,
      @ForAll @LongRange(min = 0, max = 600) long span,
      @ForAll @LongRange(min = 0, max = 5_010) long seekTo) {
    TreeMap<Long, Double> samples = new TreeMap<>();
    for (long t : times) {
      samples.put(t, (double) (t * 7 % 13));
    }
    List<Map.Entry<Long, Double>> all = new ArrayList<>(samples.entrySet());
    List<AggrChunk> chunks = new ArrayList<>();
    for (int from = 0; from < all.size(); from += perChunk) {
      chunks.add(chunk(all.subList(from, Math.min(all.size(), from + perChunk))));
    }
    if (overlap && !all.isEmpty()) {
      // The whole series again, as an overlapping block would hold it.
      chunks.add(chunk(all));
    }
    long maxt = mint + span;

    SampleIterator it = new ChunkListSamples(new RemoteChunks(chunks), mint, maxt);
    TreeMap<Long, Double> read = new TreeMap<>();
    long last = Long.MIN_VALUE;
    while (it.next()) {
      if (it.t() <= last) {
        throw new AssertionError("out of order at " + it.t());
      }
      last = it.t();
      read.put(it.t(), it.v());
    }
    assertEquals(samples.subMap(mint, true, maxt, true), read);

    SampleIterator seeking = new ChunkListSamples(new RemoteChunks(chunks), mint, maxt);
    Map.Entry<Long, Double> expected = read.ceilingEntry(seekTo);
    assertEquals(expected != null, seeking.seek(seekTo));
    if (expected != null) {
      assertEquals(expected.getKey(), seeking.t());
      assertEquals(expected.getValue(), seeking.v());
      assertEquals(true, seeking.seek(seekTo), "seek stays put on a qualifying sample");
      assertEquals(expected.getKey(), seeking.t());
    }
  }

  private static AggrChunk chunk(List<Map.Entry<Long, Double>> samples) {
    XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
    for (Map.Entry<Long, Double> s : samples) {
      app.append(s.getKey(), s.getValue());
    }
    byte[] data = app.buffer().toByteArray(app.byteLength());
    return AggrChunk.newBuilder()
        .setMinTime(samples.get(0).getKey())
        .setMaxTime(samples.get(samples.size() - 1).getKey())
        .setRaw(ProtoChunks.raw(ChunkEncoding.XOR, data))
        .build();
  }

}
