package dev.strata.tsdb.tombstones;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.strata.tsdb.encoding.ByteArraySource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TombstonesFileTest {

  @TempDir Path dir;

  static TombstoneSet decode(byte[] bytes) {
    return TombstonesReader.decode(new ByteArraySource(bytes, "test tombstones"));
  }

  /** Magic, version, the given entry bytes and their CRC32C. */
  static byte[] file(String entriesHex) {
    byte[] entries = HexFormat.of().parseHex(entriesHex);
    CRC32C crc = new CRC32C();
    crc.update(entries);
    return HexFormat.of()
        .parseHex("0130BA3001" + entriesHex + String.format("%08x", (int) crc.getValue()));
  }

  @Test
  void emptyFileIsWhatPrometheusWritesForANewBlock() {
    assertEquals(
        "0130ba300100000000",
        HexFormat.of().formatHex(TombstonesWriter.encode(TombstoneSet.EMPTY)));
    assertSame(TombstoneSet.EMPTY, decode(TombstonesWriter.encode(TombstoneSet.EMPTY)));
  }

  @Test
  void readsAFileWrittenByPrometheus() {
    // Written by Prometheus 2.42 after two delete_series calls; its map put series 5 first.
    byte[] prometheus =
        HexFormat.of()
            .parseHex("0130ba300105e0f4aefef962e0f4aefef96203a0bcacfef962b08aadfef9628fe44729");
    TombstoneSet set = decode(prometheus);
    TombstoneSet expected =
        TombstoneSet.builder()
            .add(5, 1_700_000_030_000L, 1_700_000_030_000L)
            .add(3, 1_700_000_010_000L, 1_700_000_015_000L)
            .build();
    assertEquals(expected, set);
    assertEquals(2, set.total());
    // Strata writes series in ascending order: the same entries, series 3 first.
    assertEquals(
        HexFormat.of().formatHex(file("03a0bcacfef962b08aadfef962" + "05e0f4aefef962e0f4aefef962")),
        HexFormat.of().formatHex(TombstonesWriter.encode(set)));
  }

  @Test
  void writesOneEntryPerIntervalWithZigZagTimes() {
    TombstoneSet set =
        TombstoneSet.builder()
            .add(3, 10, 20)
            .add(3, 1, 2)
            .add(300, -1, 63)
            .add(300, -64, -3)
            .build();
    // Series 3: [1,2] -> 02 04, [10,20] -> 14 28. Series 300 (AC 02): [-64,-3] -> 7F 05,
    // [-1,63] -> 01 7E.
    assertArrayEquals(
        file("030204" + "031428" + "ac027f05" + "ac02017e"), TombstonesWriter.encode(set));
  }

  @Test
  void mergesUnorderedAndRepeatedEntries() {
    // Series 1 [5,9], series 1 [1,4] (touching), series 0 [3,3], series 1 [7,8] (inside).
    TombstoneSet set = decode(file("010a12" + "010208" + "000606" + "010e10"));
    assertEquals(TombstoneSet.builder().add(1, 1, 9).add(0, 3, 3).build(), set);
  }

  @Test
  void dropsEntriesThatEndBeforeTheyStart() {
    // Series 2 [9,3] deletes nothing; series 2 [4,4] stays.
    TombstoneSet set = decode(file("021206" + "020808"));
    assertEquals(TombstoneSet.builder().add(2, 4, 4).build(), set);
  }

  @Provide
  Arbitrary<List<TombstoneSetTest.Stone>> stones() {
    return TombstoneSetTest.stones();
  }

  @Property(tries = 200)
  void encodeThenDecodeGivesTheSameSet(@ForAll("stones") List<TombstoneSetTest.Stone> stones) {
    TombstoneSet set = TombstoneSetTest.build(stones);
    byte[] bytes = TombstonesWriter.encode(set);
    assertEquals(set, decode(bytes));
    assertArrayEquals(bytes, TombstonesWriter.encode(decode(bytes)));
  }

  @Property(tries = 40)
  void writeThenReadGivesTheSameSetThroughTheFile(
      @ForAll("stones") List<TombstoneSetTest.Stone> stones) {
    try {
      Path block = Files.createTempDirectory("strata-tombstones");
      try {
        TombstoneSet set = TombstoneSetTest.build(stones);
        long size = TombstonesWriter.write(block, set);
        Path file = block.resolve(TombstonesFormat.FILE_NAME);
        assertEquals(Files.size(file), size);
        assertEquals(set, TombstonesReader.read(block));
        assertFalse(Files.exists(block.resolve(TombstonesFormat.TMP_FILE_NAME)));
      } finally {
        try (var files = Files.list(block)) {
          for (Path p : files.toList()) {
            Files.delete(p);
          }
        }
        Files.delete(block);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void missingFileMeansNoDeletions() throws IOException {
    assertSame(TombstoneSet.EMPTY, TombstonesReader.read(dir));
  }

  @Test
  void writeReplacesTheFileAndOverwritesALeftoverTemporaryFile() throws IOException {
    TombstonesWriter.write(dir, TombstoneSet.builder().add(1, 1, 1).build());
    Files.write(dir.resolve(TombstonesFormat.TMP_FILE_NAME), new byte[100]);
    TombstoneSet second = TombstoneSet.builder().add(2, 5, 6).build();
    TombstonesWriter.write(dir, second);
    assertEquals(second, TombstonesReader.read(dir));
    assertFalse(Files.exists(dir.resolve(TombstonesFormat.TMP_FILE_NAME)));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("tombstones")), files.toList());
    }
  }
}
