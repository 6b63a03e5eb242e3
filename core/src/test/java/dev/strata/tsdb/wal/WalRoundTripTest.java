package dev.strata.tsdb.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.testing.TempDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRoundTripTest {

  @TempDir Path tmp;

  static List<byte[]> readAll(Path dir) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        out.add(Arrays.copyOf(r.record(), r.recordLength()));
      }
    }
    return out;
  }

  @Provide
  Arbitrary<List<byte[]>> records() {
    Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    Arbitrary<byte[]> large = Arbitraries.bytes().array(byte[].class).ofMinSize(30_000).ofMaxSize(100_000);
    Arbitrary<byte[]> repetitive =
        Arbitraries.integers().between(0, 70_000).map(n -> {
          byte[] b = new byte[n];
          for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 7);
          }
          return b;
        });
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, small),
            net.jqwik.api.Tuple.of(1, large),
            net.jqwik.api.Tuple.of(2, repetitive))
        .list()
        .ofMaxSize(60);
  }

  @Property(tries = 60)
  void recordsComeBackInOrderAcrossPagesAndSegments(
      @ForAll("records") List<byte[]> records, @ForAll boolean compress) throws IOException {
    try (TempDirectory tmpDir = TempDirectory.create("wal")) {
      roundTrip(tmpDir.path(), records, compress);
    }
  }

  private static void roundTrip(Path dir, List<byte[]> records, boolean compress)
      throws IOException {
    // Small segments force records onto fresh segments often.
    try (WalWriter w = WalWriter.open(dir, 4 * WalFormat.PAGE_SIZE, compress)) {
      for (int i = 0; i < records.size(); i++) {
        if (i % 3 == 0) {
          w.log(records.get(i), 0, records.get(i).length);
        } else {
          w.log(List.of(records.get(i)));
        }
      }
    }
    List<byte[]> back = readAll(dir);
    assertEquals(records.size(), back.size());
    for (int i = 0; i < records.size(); i++) {
      assertArrayEquals(records.get(i), back.get(i), "record " + i);
    }
  }

  @Test
  void reopeningStartsANewSegmentAndKeepsOldRecords() throws IOException {
    try (WalWriter w = WalWriter.open(tmp, WalFormat.DEFAULT_SEGMENT_SIZE, false)) {
      w.log(new byte[] {1, 2, 3}, 0, 3);
      assertEquals(0, w.currentSegment());
    }
    try (WalWriter w = WalWriter.open(tmp, WalFormat.DEFAULT_SEGMENT_SIZE, false)) {
      assertEquals(1, w.currentSegment());
      w.log(new byte[] {4}, 0, 1);
    }
    List<byte[]> back = readAll(tmp);
    assertArrayEquals(new byte[] {1, 2, 3}, back.get(0));
    assertArrayEquals(new byte[] {4}, back.get(1));
    assertEquals(List.of(0, 1), WalFormat.segmentIndexes(tmp));
  }

  @Test
  void pagesArePaddedToThirtyTwoKibibytesExceptTheLast() throws IOException {
    try (WalWriter w = WalWriter.open(tmp, WalFormat.DEFAULT_SEGMENT_SIZE, false)) {
      w.log(new byte[40_000], 0, 40_000); // first fragment fills page 1, last goes to page 2
      w.nextSegment();
      w.log(new byte[10], 0, 10);
    }
    // Segment 0 was completed by nextSegment: whole pages.
    assertEquals(2L * WalFormat.PAGE_SIZE, Files.size(tmp.resolve("00000000")));
    // Segment 1 was closed: its page is padded too.
    assertEquals(WalFormat.PAGE_SIZE, Files.size(tmp.resolve("00000001")));
  }

  @Test
  void aPartialLastPageIsReadable() throws IOException {
    WalWriter w = WalWriter.open(tmp, WalFormat.DEFAULT_SEGMENT_SIZE, false);
    w.log(new byte[] {9, 9}, 0, 2);
    // Simulate a crash: no close, the page stays partial on disk.
    assertEquals(WalFormat.RECORD_HEADER_SIZE + 2, Files.size(tmp.resolve("00000000")));
    assertEquals(1, readAll(tmp).size());
    w.close();
  }

  @Test
  void emptyRecordsAreRecords() throws IOException {
    try (WalWriter w = WalWriter.open(tmp, WalFormat.DEFAULT_SEGMENT_SIZE, true)) {
      w.log(new byte[0], 0, 0);
      w.log(new byte[] {1}, 0, 1);
    }
    List<byte[]> back = readAll(tmp);
    assertEquals(2, back.size());
    assertEquals(0, back.get(0).length);
  }

  @Test
  void truncationAnywhereLosesOnlyTheTailAndRepairRestoresAPrefix() throws IOException {
    Random rnd = new Random(7);
    List<byte[]> records = new ArrayList<>();
    try (WalWriter w = WalWriter.open(tmp, WalFormat.DEFAULT_SEGMENT_SIZE, false)) {
      for (int i = 0; i < 40; i++) {
        byte[] r = new byte[rnd.nextInt(i % 10 == 0 ? 50_000 : 300)];
        rnd.nextBytes(r);
        records.add(r);
        w.log(r, 0, r.length);
      }
    }
    Path segment = tmp.resolve("00000000");
    byte[] full = Files.readAllBytes(segment);
    for (int cut = 0; cut < full.length; cut += 1 + rnd.nextInt(997)) {
      Path dir = Files.createTempDirectory(tmp, "cut");
      Files.write(dir.resolve("00000000"), Arrays.copyOf(full, cut));
      List<byte[]> seen = new ArrayList<>();
      try (WalReader r = WalReader.open(dir)) {
        while (r.next()) {
          seen.add(Arrays.copyOf(r.record(), r.recordLength()));
        }
      } catch (WalCorruptionException e) {
        assertTrue(e.offset() <= cut, e.getMessage());
        WalRepair.repair(dir, e);
        assertEquals(seen.size(), readAll(dir).size(), "repair keeps what was readable");
      }
      for (int i = 0; i < seen.size(); i++) {
        assertArrayEquals(records.get(i), seen.get(i), "cut at " + cut + ", record " + i);
      }
    }
  }

  @Test
  void flippedBytesAreReportedWithSegmentAndOffset() throws IOException {
    try (WalWriter w = WalWriter.open(tmp, WalFormat.DEFAULT_SEGMENT_SIZE, false)) {
      for (int i = 0; i < 20; i++) {
        w.log(new byte[100 + i], 0, 100 + i);
      }
    }
    Path segment = tmp.resolve("00000000");
    byte[] bytes = Files.readAllBytes(segment);
    int recordStart = (WalFormat.RECORD_HEADER_SIZE + 100) + (WalFormat.RECORD_HEADER_SIZE + 101);
    bytes[recordStart + WalFormat.RECORD_HEADER_SIZE + 5] ^= 0x40;
    Files.write(segment, bytes);
    WalCorruptionException e = assertThrows(WalCorruptionException.class, () -> readAll(tmp));
    assertEquals(0, e.segment());
    assertEquals(recordStart, e.offset());
    assertTrue(e.getMessage().contains("00000000"), e.getMessage());
    assertTrue(e.getMessage().contains("CRC mismatch"), e.getMessage());
  }

  @Test
  void everySingleByteFlipIsDetectedOrHarmless() throws IOException {
    List<byte[]> records = new ArrayList<>();
    try (WalWriter w = WalWriter.open(tmp, WalFormat.DEFAULT_SEGMENT_SIZE, true)) {
      Random rnd = new Random(3);
      for (int i = 0; i < 8; i++) {
        byte[] r = new byte[rnd.nextInt(1500)];
        for (int j = 0; j < r.length; j++) {
          r[j] = (byte) (rnd.nextInt(4));
        }
        records.add(r);
        w.log(r, 0, r.length);
      }
    }
    byte[] clean = Files.readAllBytes(tmp.resolve("00000000"));
    Path dir = tmp.resolve("flip");
    Files.createDirectories(dir);
    int used = clean.length;
    while (used > 0 && clean[used - 1] == 0) {
      used--;
    }
    // Every byte of the records, and a sample of the zero padding after them.
    for (int pos = 0; pos < clean.length; pos += pos < used + 16 ? 1 : 97) {
      byte[] damaged = clean.clone();
      damaged[pos] ^= (byte) 0x5a;
      Files.write(dir.resolve("00000000"), damaged);
      try {
        List<byte[]> back = readAll(dir);
        // Only flips in zero padding that the reader never looks at can go unnoticed.
        assertEquals(records.size(), back.size(), "flip at " + pos);
        for (int i = 0; i < back.size(); i++) {
          assertArrayEquals(records.get(i), back.get(i), "flip at " + pos);
        }
      } catch (WalCorruptionException expected) {
        assertTrue(expected.offset() <= pos, "offset " + expected.offset() + " for flip at " + pos);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertFalse(Files.exists(dir.resolve("00000001")));
  }
}
