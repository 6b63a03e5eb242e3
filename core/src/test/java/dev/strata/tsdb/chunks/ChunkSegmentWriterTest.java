package dev.strata.tsdb.chunks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSegmentWriterTest {

  @TempDir Path dir;

  private static long ref(int segment, long offset) {
    return ChunkRef.of(segment, offset);
  }

  private static long[] writeSeries(ChunkSegmentWriter writer, int... dataLengths)
      throws IOException {
    ChunkBatch batch = new ChunkBatch();
    for (int len : dataLengths) {
      batch.add((byte) 1, new byte[len], 0, len);
    }
    long[] refs = new long[dataLengths.length];
    writer.write(batch, refs);
    return refs;
  }

  private long[] segmentSizes() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().mapToLong(p -> p.toFile().length()).toArray();
    }
  }

  /**
   * Worked by hand from Prometheus's rule with a 100-byte limit. A chunk of n data bytes (n < 128)
   * takes n + 6 bytes but is budgeted at n + 10.
   */
  @Test
  void rollsOverWherePrometheusDoes() throws IOException {
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir, 100)) {
      // Fresh segment: 8 + 40 + 40 = 88 fits, 8 + 120 does not, so the third chunk moves on.
      assertArrayEquals(new long[] {ref(0, 8), ref(0, 44), ref(1, 8)}, writeSeries(w, 30, 30, 30));
      // Segment 2 holds 44 bytes from an earlier series: 44 + 40 = 84 fits.
      assertArrayEquals(new long[] {ref(1, 44)}, writeSeries(w, 30));
      // 80 + 16 = 96 fits; the segment is now 92 bytes.
      assertArrayEquals(new long[] {ref(1, 80)}, writeSeries(w, 6));
      // 92 + 10 = 102 > 100: a new segment although the 6 real bytes would fit (98).
      assertArrayEquals(new long[] {ref(2, 8)}, writeSeries(w, 0));
      // Too large for any segment: one of its own.
      assertArrayEquals(new long[] {ref(3, 8)}, writeSeries(w, 200));
      // The segment is oversized, so the series starts a new one and stays there.
      assertArrayEquals(new long[] {ref(4, 8), ref(4, 14)}, writeSeries(w, 0, 0));
      assertEquals(5, w.segmentCount());
    }
    assertArrayEquals(new long[] {80, 92, 14, 215, 20}, segmentSizes());
  }

  @Test
  void oversizedFirstChunkOfAFreshSegmentStaysAlone() throws IOException {
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir, 100)) {
      assertArrayEquals(new long[] {ref(0, 8), ref(1, 8)}, writeSeries(w, 200, 0));
    }
    assertArrayEquals(new long[] {215, 14}, segmentSizes());
  }

  /** Length fields of 1, 2, 3 and 1 bytes: 127 + 6, 128 + 7, 16384 + 8 bytes. */
  @Test
  void lengthFieldsLongerThanOneByte() throws IOException {
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
      long[] refs = writeSeries(w, 127, 128, 16_384, 0);
      assertArrayEquals(
          new long[] {
            ref(0, 8), ref(0, 8 + 133), ref(0, 8 + 133 + 135), ref(0, 8 + 133 + 135 + 16_392)
          },
          refs);
    }
  }

  @Test
  void anEmptySeriesStillCreatesTheFirstSegment() throws IOException {
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
      writeSeries(w);
      writeSeries(w);
      assertEquals(1, w.segmentCount());
    }
    assertArrayEquals(new long[] {8}, segmentSizes());
    assertArrayEquals(
        new byte[] {(byte) 0x85, (byte) 0xBD, 0x40, (byte) 0xDD, 1, 0, 0, 0},
        Files.readAllBytes(dir.resolve("000001")));
  }

  @Test
  void noSeriesNoFiles() throws IOException {
    Path chunks = dir.resolve("chunks");
    new ChunkSegmentWriter(chunks).close();
    assertTrue(Files.isDirectory(chunks));
    try (Stream<Path> files = Files.list(chunks)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void singleChunkConvenience() throws IOException {
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
      assertEquals(ref(0, 8), w.write((byte) 1, new byte[] {9, 9, 9}, 1, 2));
      assertEquals(ref(0, 16), w.write((byte) 2, new byte[0], 0, 0));
    }
    try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
      ChunkCursor c = r.cursor().seek(ref(0, 8));
      assertEquals(2, c.dataLength());
      assertEquals(1, c.encoding());
      assertEquals(2, r.verifyAll());
    }
  }

  @Test
  void leavesNoTemporaryFilesAndOverwritesStaleOnes() throws IOException {
    Files.write(dir.resolve("000002.tmp"), new byte[5000]); // left by a crash
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir, 20)) {
      writeSeries(w, 4);
      writeSeries(w, 4);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of("000001", "000002"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertArrayEquals(new long[] {18, 18}, segmentSizes());
  }

  @Test
  void refusesADirectoryWithSegments() throws IOException {
    Files.write(dir.resolve("000001"), new byte[8]);
    assertThrows(FileAlreadyExistsException.class, () -> new ChunkSegmentWriter(dir));
  }

  @Test
  void misuse() throws IOException {
    assertThrows(IllegalArgumentException.class, () -> new ChunkSegmentWriter(dir, 0));
    assertThrows(IllegalArgumentException.class, () -> new ChunkSegmentWriter(dir, (1L << 32) + 1));
    ChunkSegmentWriter w = new ChunkSegmentWriter(dir, 1L << 32);
    ChunkBatch batch = new ChunkBatch().add((byte) 1, new byte[3], 0, 3).add((byte) 1, new byte[3], 0, 3);
    assertThrows(IllegalArgumentException.class, () -> w.write(batch, new long[1]));
    assertThrows(IndexOutOfBoundsException.class, () -> batch.add((byte) 1, new byte[3], 1, 3));
    w.close();
    w.close();
    assertThrows(IllegalStateException.class, () -> w.write(batch, new long[2]));
  }

  @Test
  void batchReuseDropsReferences() {
    ChunkBatch batch = new ChunkBatch();
    for (int i = 0; i < 100; i++) {
      batch.add((byte) i, new byte[i], 0, i);
    }
    assertEquals(100, batch.size());
    assertEquals(99, batch.length(99));
    assertEquals((byte) 42, batch.encoding(42));
    batch.clear();
    assertEquals(0, batch.size());
    assertThrows(IndexOutOfBoundsException.class, () -> batch.length(0));
  }
}
