package dev.strata.tsdb.tombstones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.encoding.ByteArraySource;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages every byte of a small tombstones file and cuts it at every length, checking that each
 * defect is reported with the file, the part of the format and the offset.
 */
class TombstonesCorruptionTest {

  private static final String NAME = "blocks/01TEST/tombstones";

  @TempDir Path dir;

  private static final byte[] PRISTINE =
      TombstonesWriter.encode(
          TombstoneSet.builder()
              .add(1, 1_700_000_000_000L, 1_700_000_005_000L)
              .add(1, 1_700_000_100_000L, 1_700_000_200_000L)
              .add(77_000, -5, 5)
              .build());

  private static CorruptDataException decodeFails(byte[] bytes) {
    return assertThrows(
        CorruptDataException.class,
        () -> TombstonesReader.decode(new ByteArraySource(bytes, NAME)));
  }

  @Test
  void everyDamagedByteIsReportedWhereItIs() {
    int crcAt = PRISTINE.length - TombstonesFormat.CRC_SIZE;
    for (int pos = 0; pos < PRISTINE.length; pos++) {
      for (int mask : new int[] {0x01, 0x80, 0xFF, 0x5A}) {
        byte[] damaged = PRISTINE.clone();
        damaged[pos] ^= (byte) mask;
        CorruptDataException e = decodeFails(damaged);
        assertEquals(NAME, e.source());
        assertTrue(e.getMessage().startsWith("corrupt " + NAME + ": "), e.getMessage());
        String where = "byte " + pos + " ^ " + mask + ": " + e.getMessage();
        if (pos < 4) {
          assertEquals("magic", e.section(), where);
          assertEquals(0, e.offset(), where);
        } else if (pos == 4) {
          assertEquals("version", e.section(), where);
          assertEquals(4, e.offset(), where);
        } else {
          assertEquals("CRC", e.section(), where);
          assertEquals(crcAt, e.offset(), where);
          assertTrue(e.getMessage().contains("does not match"), where);
        }
      }
    }
  }

  @Test
  void everyTruncationIsReported() {
    for (int len = 0; len < PRISTINE.length; len++) {
      CorruptDataException e = decodeFails(Arrays.copyOf(PRISTINE, len));
      String where = "length " + len + ": " + e.getMessage();
      if (len < TombstonesFormat.MIN_SIZE) {
        assertEquals("header", e.section(), where);
        assertTrue(e.getMessage().contains(len + " bytes is shorter than"), where);
      } else {
        assertEquals("CRC", e.section(), where);
        assertEquals(len - 4, e.offset(), where);
      }
    }
  }

  @Test
  void entryCutShortUnderAValidChecksumNamesTheEntries() {
    // Series 1 [1,2], then a reference with no times.
    CorruptDataException e = decodeFails(TombstonesFileTest.file("01020405"));
    assertEquals("tombstone entries", e.section());
    assertEquals(9, e.offset());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void overlongVarintUnderAValidChecksumIsReported() {
    CorruptDataException e =
        decodeFails(TombstonesFileTest.file("01" + "ff".repeat(10) + "01" + "00"));
    assertEquals("tombstone entries", e.section());
    assertEquals(6, e.offset());
    assertTrue(e.getMessage().contains("overflows"), e.getMessage());
  }

  @Test
  void errorsFromAFileNameThePath() throws IOException {
    byte[] damaged = PRISTINE.clone();
    damaged[0] = 0;
    Files.write(dir.resolve("tombstones"), damaged);
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> TombstonesReader.read(dir));
    assertEquals(dir.resolve("tombstones").toString(), e.source());
    assertTrue(e.getMessage().contains("magic 0x0030BA30, expected 0x0130BA30"), e.getMessage());
  }
}
