package dev.strata.tsdb.chunks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.chunks.SegmentLayoutModel.Chunk;
import dev.strata.tsdb.encoding.ByteArraySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSegmentRoundTripTest {

  @TempDir Path tempDir;

  @Provide
  Arbitrary<Chunk> chunks() {
    Arbitrary<Integer> lengths =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(0)),
            Tuple.of(10, Arbitraries.integers().between(1, 300)),
            Tuple.of(2, Arbitraries.integers().between(301, 5000)),
            // Larger than the writer's 1 MiB buffer, so a chunk spans several flushes.
            Tuple.of(1, Arbitraries.integers().between(1_000_000, 2_500_000)));
    return Combinators.combine(Arbitraries.bytes(), lengths, Arbitraries.longs())
        .as((encoding, length, seed) -> new Chunk(encoding, pseudoRandom(seed, length)));
  }

  @Provide
  Arbitrary<List<List<Chunk>>> seriesList() {
    return chunks().list().ofMaxSize(6).list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<Long> segmentSizes() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.of(1L, 8L, 9L, 16L)),
        Tuple.of(6, Arbitraries.longs().between(17, 3000)),
        Tuple.of(1, Arbitraries.longs().between(3001, 3_000_000)),
        Tuple.of(1, Arbitraries.just(ChunkSegmentFormat.DEFAULT_SEGMENT_SIZE)));
  }

  static byte[] pseudoRandom(long seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Property(tries = 150)
  void chunksComeBackAndFilesMatchPrometheusLayout(
      @ForAll("seriesList") List<List<Chunk>> series,
      @ForAll("segmentSizes") long segmentSize,
      @ForAll boolean viaByteSource)
      throws IOException {
    // jqwik properties do not get JUnit's @TempDir.
    Path dir = Files.createTempDirectory("strata-chunks");
    try {
      checkRoundTrip(dir, series, segmentSize, viaByteSource);
    } finally {
      deleteRecursively(dir);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private void checkRoundTrip(
      Path dir, List<List<Chunk>> series, long segmentSize, boolean viaByteSource)
      throws IOException {
    SegmentLayoutModel model = new SegmentLayoutModel(segmentSize);
    List<Long> refs = new ArrayList<>();
    List<Chunk> flat = new ArrayList<>();
    ChunkBatch batch = new ChunkBatch();
    try (ChunkSegmentWriter writer = new ChunkSegmentWriter(dir, segmentSize)) {
      for (List<Chunk> chunks : series) {
        batch.clear();
        for (Chunk c : chunks) {
          if (viaByteSource) {
            // Chunks taken from the middle of a larger source, as when copying between blocks.
            byte[] padded = new byte[c.data().length + 7];
            System.arraycopy(c.data(), 0, padded, 3, c.data().length);
            batch.add(c.encoding(), new ByteArraySource(padded, "src"), 3, c.data().length);
          } else {
            batch.add(c.encoding(), c.data(), 0, c.data().length);
          }
        }
        long[] out = new long[chunks.size() + 1];
        out[chunks.size()] = -42; // beyond the batch: untouched
        writer.write(batch, out);
        assertEquals(-42, out[chunks.size()]);
        for (int i = 0; i < chunks.size(); i++) {
          refs.add(out[i]);
        }
        flat.addAll(chunks);
        model.writeSeries(chunks);
      }
      assertEquals(model.segments.size(), writer.segmentCount());
    }

    // Byte-identical files, nothing else left in the directory.
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted(Comparator.comparing(Path::toString)).toList();
    }
    assertEquals(model.segments.size(), files.size(), "segment files " + files);
    for (int i = 0; i < files.size(); i++) {
      assertEquals(ChunkSegmentFormat.fileName(i + 1), files.get(i).getFileName().toString());
      byte[] actual = Files.readAllBytes(files.get(i));
      assertArrayEquals(model.segments.get(i).toByteArray(), actual, "segment " + (i + 1));
      // Oversized segments hold a single chunk (or none, when even the header exceeds the size).
      if (actual.length > segmentSize) {
        int segment = i;
        assertTrue(
            refs.stream().filter(r -> ChunkRef.segmentIndex(r) == segment).count() <= 1,
            "segment " + (i + 1) + " of " + actual.length + " bytes");
      }
    }
    assertEquals(model.refs, refs);

    try (ChunkSegmentReader reader = ChunkSegmentReader.open(dir)) {
      assertEquals(files.size(), reader.segmentCount());
      ChunkCursor cursor = reader.cursor();
      for (int i = 0; i < flat.size(); i++) {
        cursor.seek(refs.get(i));
        assertEquals(refs.get(i), cursor.ref());
        assertEquals(flat.get(i).encoding(), cursor.encoding());
        byte[] data = new byte[cursor.dataLength()];
        cursor.source().read(cursor.dataPosition(), data, 0, data.length);
        assertArrayEquals(flat.get(i).data(), data);
        reader.verify(refs.get(i));
      }
      assertEquals(flat.size(), reader.verifyAll());
      // File order is write order.
      List<Long> scanned = new ArrayList<>();
      for (int s = 0; s < reader.segmentCount(); s++) {
        cursor.scan(s);
        while (cursor.next()) {
          scanned.add(cursor.ref());
        }
        assertFalse(cursor.next());
      }
      assertEquals(refs, scanned);
    }
  }

  @Test
  void xorChunksDecodeStraightFromTheMapping() throws IOException {
    Random random = new Random(3);
    List<long[]> times = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    ChunkBatch batch = new ChunkBatch();
    for (int c = 0; c < 5; c++) {
      int n = 1 + random.nextInt(200);
      long[] t = new long[n];
      double[] v = new double[n];
      long ts = random.nextInt(1_000_000);
      XorChunkAppender appender = XorChunkAppender.create(new HeapChunkBuffer());
      for (int i = 0; i < n; i++) {
        ts += 1 + random.nextInt(30_000);
        t[i] = ts;
        v[i] = random.nextBoolean() ? random.nextGaussian() : Math.floor(random.nextDouble() * 100);
        appender.append(t[i], v[i]);
      }
      times.add(t);
      values.add(v);
      batch.add(
          ChunkEncoding.XOR,
          appender.buffer().toByteArray(appender.byteLength()),
          0,
          appender.byteLength());
    }
    Path dir = tempDir.resolve("xor");
    long[] refs = new long[batch.size()];
    try (ChunkSegmentWriter writer = new ChunkSegmentWriter(dir)) {
      writer.write(batch, refs);
    }
    try (ChunkSegmentReader reader = ChunkSegmentReader.open(dir)) {
      ChunkCursor cursor = reader.cursor();
      XorChunkIterator it = new XorChunkIterator();
      for (int c = 0; c < refs.length; c++) {
        cursor.seek(refs[c]).verify();
        assertEquals(ChunkEncoding.XOR, cursor.encoding());
        it.reset(cursor.source(), cursor.dataPosition(), cursor.dataLength());
        for (int i = 0; i < times.get(c).length; i++) {
          assertTrue(it.next());
          assertEquals(times.get(c)[i], it.atT());
          assertEquals(Double.doubleToRawLongBits(values.get(c)[i]), it.atValueBits());
        }
        assertFalse(it.next());
      }
    }
  }
}
