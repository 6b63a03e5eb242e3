package dev.strata.tsdb.chunks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages every byte of a small two-segment directory, and cuts it at every length, checking that
 * each defect is reported as a {@link CorruptDataException} that names the damaged file, the right
 * part of the format and the offset of the damaged chunk (or header field).
 */
class ChunkSegmentCorruptionTest {

  private static final Set<String> CHUNK_SECTIONS = Set.of("chunk length", "chunk data", "chunk CRC");

  @TempDir Path tempDir;

  /** Where a chunk lies in its file. */
  record Extent(int segment, long start, int fieldSize, long dataEnd, long end) {
    long ref() {
      return ChunkRef.of(segment, start);
    }
  }

  private Path pristineDir;
  private byte[][] pristine;
  private final List<Extent> extents = new ArrayList<>();

  @BeforeEach
  void writeSmallDirectory() throws IOException {
    pristineDir = tempDir.resolve("pristine");
    Random random = new Random(11);
    // Chunks of 0, 5, 130 (a two-byte length field), 20 and 40 data bytes; with a 200-byte limit
    // the last one starts the second segment.
    int[][] series = {{0, 5, 130}, {20, 40}};
    byte encoding = 0;
    try (ChunkSegmentWriter writer = new ChunkSegmentWriter(pristineDir, 200)) {
      for (int[] lengths : series) {
        ChunkBatch batch = new ChunkBatch();
        for (int len : lengths) {
          byte[] data = new byte[len];
          random.nextBytes(data);
          batch.add(encoding++, data, 0, len);
        }
        long[] refs = new long[lengths.length];
        writer.write(batch, refs);
        for (int i = 0; i < lengths.length; i++) {
          int fieldSize = lengths[i] < 128 ? 1 : 2;
          long start = ChunkRef.offset(refs[i]);
          long dataEnd = start + fieldSize + 1 + lengths[i];
          extents.add(new Extent(ChunkRef.segmentIndex(refs[i]), start, fieldSize, dataEnd, dataEnd + 4));
        }
      }
    }
    pristine =
        new byte[][] {
          Files.readAllBytes(pristineDir.resolve("000001")),
          Files.readAllBytes(pristineDir.resolve("000002"))
        };
    assertEquals(4, extents.stream().filter(e -> e.segment() == 0).count());
    assertEquals(1, extents.stream().filter(e -> e.segment() == 1).count());
  }

  private Path caseDir(byte[] first, byte[] second) throws IOException {
    Path dir = Files.createTempDirectory(tempDir, "case");
    Files.write(dir.resolve("000001"), first);
    Files.write(dir.resolve("000002"), second);
    return dir;
  }

  private Path fileOf(Path dir, int segment) {
    return ChunkSegmentFormat.path(dir, segment);
  }

  private Extent chunkContaining(int segment, long position) {
    return extents.stream()
        .filter(e -> e.segment() == segment && e.start() <= position && position < e.end())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everyFlippedByteIsReportedAtItsChunk() throws IOException {
    int cases = 0;
    for (int segment = 0; segment < 2; segment++) {
      for (int pos = 0; pos < pristine[segment].length; pos++) {
        for (int mask : new int[] {0x01, 0x80, 0xFF}) {
          byte[][] files = {pristine[0].clone(), pristine[1].clone()};
          files[segment][pos] ^= (byte) mask;
          Path dir = caseDir(files[0], files[1]);
          String where = "segment " + segment + " byte " + pos + " mask " + mask;
          Path damaged = fileOf(dir, segment);
          if (pos < 5) {
            CorruptDataException e =
                assertThrows(CorruptDataException.class, () -> ChunkSegmentReader.open(dir), where);
            assertEquals(damaged.toString(), e.source(), where);
            assertEquals("segment header", e.section(), where);
            assertEquals(pos < 4 ? 0 : 4, e.offset(), where);
          } else if (pos < ChunkSegmentFormat.HEADER_SIZE) {
            // Padding is not checked, as in Prometheus.
            try (ChunkSegmentReader reader = ChunkSegmentReader.open(dir)) {
              assertEquals(extents.size(), reader.verifyAll(), where);
            }
          } else {
            Extent hit = chunkContaining(segment, pos);
            try (ChunkSegmentReader reader = ChunkSegmentReader.open(dir)) {
              CorruptDataException e =
                  assertThrows(CorruptDataException.class, reader::verifyAll, where);
              assertChunkError(e, damaged, hit, where);
              for (Extent chunk : extents) {
                if (chunk.equals(hit)) {
                  e = assertThrows(CorruptDataException.class, () -> reader.verify(chunk.ref()), where);
                  assertChunkError(e, damaged, hit, where);
                } else {
                  reader.verify(chunk.ref());
                }
              }
            }
          }
          cases++;
        }
      }
    }
    assertEquals(3 * (pristine[0].length + pristine[1].length), cases);
  }

  private static void assertChunkError(CorruptDataException e, Path file, Extent chunk, String where) {
    assertEquals(file.toString(), e.source(), where);
    assertTrue(CHUNK_SECTIONS.contains(e.section()), where + ": " + e.section());
    assertEquals(chunk.start(), e.offset(), where + ": " + e.getMessage());
  }

  @Test
  void everyTruncationIsReportedAtTheCutChunk() throws IOException {
    for (int seg = 0; seg < 2; seg++) {
      int segment = seg;
      for (int length = 0; length < pristine[segment].length; length++) {
        byte[][] files = {pristine[0], pristine[1]};
        files[segment] = Arrays.copyOf(pristine[segment], length);
        Path dir = caseDir(files[0], files[1]);
        Path cut = fileOf(dir, segment);
        String where = "segment " + segment + " cut at " + length;
        if (length < ChunkSegmentFormat.HEADER_SIZE) {
          CorruptDataException e =
              assertThrows(CorruptDataException.class, () -> ChunkSegmentReader.open(dir), where);
          assertEquals(cut.toString(), e.source());
          assertEquals("segment header", e.section());
          assertEquals(0, e.offset());
          assertTrue(e.getMessage().contains("fewer than the 8-byte header"), e.getMessage());
          continue;
        }
        int cutLength = length;
        try (ChunkSegmentReader reader = ChunkSegmentReader.open(dir)) {
          Extent torn =
              extents.stream()
                  .filter(
                      e -> e.segment() == segment && e.start() < cutLength && cutLength < e.end())
                  .findFirst()
                  .orElse(null);
          long lost =
              extents.stream().filter(e -> e.segment() == segment && e.start() >= cutLength).count();
          if (torn == null) {
            // Cut at a chunk boundary: a valid, shorter file.
            assertEquals(extents.size() - lost, reader.verifyAll(), where);
          } else {
            CorruptDataException e = assertThrows(CorruptDataException.class, reader::verifyAll, where);
            assertTornChunk(e, cut, torn, cutLength, where);
          }
          for (Extent chunk : extents) {
            if (chunk.segment() != segment || chunk.end() <= cutLength) {
              reader.verify(chunk.ref());
            } else if (chunk.start() >= cutLength) {
              CorruptDataException e =
                  assertThrows(CorruptDataException.class, () -> reader.verify(chunk.ref()), where);
              assertEquals(cut.toString(), e.source(), where);
              assertEquals("chunk reference", e.section(), where);
              assertEquals(chunk.start(), e.offset(), where);
            } else {
              CorruptDataException e =
                  assertThrows(CorruptDataException.class, () -> reader.verify(chunk.ref()), where);
              assertTornChunk(e, cut, chunk, cutLength, where);
            }
          }
        }
      }
    }
  }

  private static void assertTornChunk(
      CorruptDataException e, Path file, Extent chunk, long length, String where) {
    assertEquals(file.toString(), e.source(), where);
    assertEquals(chunk.start(), e.offset(), where);
    String expectedSection =
        length < chunk.start() + chunk.fieldSize()
            ? "chunk length"
            : length < chunk.dataEnd() ? "chunk data" : "chunk CRC";
    assertEquals(expectedSection, e.section(), where + ": " + e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(length)), e.getMessage());
  }

  @Test
  void referencesOutsideTheSegments() throws IOException {
    try (ChunkSegmentReader reader = ChunkSegmentReader.open(pristineDir)) {
      Path first = fileOf(pristineDir, 0);
      for (long offset : new long[] {0, 7, pristine[0].length, ChunkRef.MAX_OFFSET}) {
        CorruptDataException e =
            assertThrows(CorruptDataException.class, () -> reader.verify(ChunkRef.of(0, offset)));
        assertEquals(first.toString(), e.source());
        assertEquals("chunk reference", e.section());
        assertEquals(offset, e.offset());
      }
      for (long ref : new long[] {ChunkRef.of(2, 8), -1L, Long.MIN_VALUE | 8}) {
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> reader.verify(ref));
        assertEquals(pristineDir.toString(), e.source());
        assertEquals("chunk reference", e.section());
        assertEquals(ChunkRef.offset(ref), e.offset());
        assertTrue(e.getMessage().contains("has 2 segment files"), e.getMessage());
      }
    }
  }

  @Test
  void lengthFieldLongerThanFiveBytes() throws IOException {
    byte[] file = Arrays.copyOf(pristine[0], 8 + 20);
    byte[] field = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00};
    System.arraycopy(field, 0, file, 8, field.length);
    Path dir = caseDir(file, pristine[1]);
    try (ChunkSegmentReader reader = ChunkSegmentReader.open(dir)) {
      CorruptDataException e = assertThrows(CorruptDataException.class, reader::verifyAll);
      assertEquals("chunk length", e.section());
      assertEquals(8, e.offset());
      assertTrue(e.getMessage().contains("longer than 5 bytes"), e.getMessage());
    }
  }

  @Test
  void wrongVersionAndMagicAreNamed() throws IOException {
    byte[] file = pristine[1].clone();
    file[4] = 2;
    Path dir = caseDir(pristine[0], file);
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> ChunkSegmentReader.open(dir));
    assertEquals(
        "corrupt " + fileOf(dir, 1) + ": segment header at offset 4: format version 2 is not"
            + " supported (expected 1)",
        e.getMessage());
    file[4] = 1;
    file[0] = 0x12;
    Path dir2 = caseDir(pristine[0], file);
    e = assertThrows(CorruptDataException.class, () -> ChunkSegmentReader.open(dir2));
    assertEquals(
        "corrupt " + fileOf(dir2, 1) + ": segment header at offset 0: magic number 0x12BD40DD is"
            + " not the chunk segment magic 0x85BD40DD",
        e.getMessage());
  }

  /** Arbitrary bytes after a valid header: every read ends in data or in CorruptDataException. */
  @Property(tries = 400)
  void garbageNeverEscapesAsAnotherException(
      @ForAll @Size(max = 64) byte[] body, @ForAll @Size(max = 8) List<Long> refs) throws IOException {
    byte[] file = Arrays.copyOf(new byte[] {(byte) 0x85, (byte) 0xBD, 0x40, (byte) 0xDD, 1, 0, 0, 0}, 8 + body.length);
    System.arraycopy(body, 0, file, 8, body.length);
    Path dir = Files.createTempDirectory("strata-garbage");
    try {
      Files.write(dir.resolve("000001"), file);
      try (ChunkSegmentReader reader = ChunkSegmentReader.open(dir)) {
        ChunkCursor cursor = reader.cursor().scan(0);
        int chunks = 0;
        try {
          while (cursor.next()) {
            chunks++;
            cursor.verify();
            if (chunks > body.length) {
              fail("more chunks than bytes");
            }
          }
        } catch (CorruptDataException expected) {
          assertEquals(dir.resolve("000001").toString(), expected.source());
        }
        for (long ref : refs) {
          long r = ref & 0x1_0000_003FL; // segment 0 or 1, offsets within or just past the file
          try {
            reader.verify(r);
          } catch (CorruptDataException expected) {
            assertTrue(expected.getMessage().startsWith("corrupt "));
          }
        }
      }
    } finally {
      ChunkSegmentRoundTripTest.deleteRecursively(dir);
    }
  }
}
