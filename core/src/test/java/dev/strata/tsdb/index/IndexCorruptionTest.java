package dev.strata.tsdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.tsdb.encoding.ByteArraySource;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.encoding.Varint;
import dev.strata.tsdb.index.IndexFixtures.Series;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged index files are reported as {@link CorruptDataException}s that name the file, section
 * and offset; nothing else escapes, and nothing hangs. Single-byte damage anywhere is caught by
 * {@link IndexReader#verifyAll()}; damage made consistent with the CRCs is caught by the checks
 * behind them.
 */
class IndexCorruptionTest {
  @TempDir Path dir;
  private byte[] good;
  private IndexToc toc;
  private List<Series> series;

  @BeforeEach
  void writeIndex() throws IOException {
    List<Series> input = new ArrayList<>();
    String[] jobs = {"api", "db", "é😀"};
    for (int i = 0; i < 9; i++) {
      ChunkMetas chunks = new ChunkMetas();
      for (int c = 0; c < i % 3; c++) {
        chunks.add(1000L * c - 7, 1000L * c + 500, 8 + 100L * c + i);
      }
      input.add(new Series(
          Labels.of("__name__", i % 2 == 0 ? "up" : "requests_total", "job", jobs[i % 3],
              "instance", "host-" + i), chunks));
    }
    series = IndexFixtures.normalize(input);
    Path file = dir.resolve("index");
    IndexFixtures.write(file, series);
    good = Files.readAllBytes(file);
    try (IndexReader r = IndexReader.open(file)) {
      toc = r.toc();
      assertEquals(series.size(), r.verifyAll());
    }
  }

  private static IndexReader open(byte[] bytes) {
    return IndexReader.open(new ByteArraySource(bytes, "test index"));
  }

  /** Runs every read a query could do; any outcome but success or CorruptDataException fails. */
  private static void readEverything(byte[] bytes) {
    try (IndexReader r = open(bytes)) {
      List<String> symbols = new ArrayList<>();
      r.forEachSymbol(symbols::add);
      for (String s : symbols) {
        r.symbolRef(s);
      }
      for (String name : r.labelNames()) {
        for (String value : r.labelValues(name)) {
          Postings.count(r.postings(name, value));
        }
        r.labelValues(name, LabelMatcher.regex("job", ".+"));
      }
      Postings all = r.allPostings();
      ChunkMetas chunks = new ChunkMetas();
      while (all.next()) {
        r.series(all.at(), chunks);
      }
      Postings.count(r.postingsForMatchers(
          LabelMatcher.regex("job", "a.*|db"), LabelMatcher.notEqual("instance", "host-3")));
      Postings.count(r.postingsForMatchers(LabelMatcher.equal("job", "")));
      r.labelStats();
      r.seriesCount();
    } catch (CorruptDataException expected) {
      assertTrue(expected.getMessage().startsWith("corrupt test index: "), expected.getMessage());
    }
  }

  private static void assertCorrupt(Executable e, String what) throws Throwable {
    try {
      e.execute();
    } catch (CorruptDataException expected) {
      return;
    }
    fail(what + " was not detected");
  }

  @Test
  void everySingleByteFlipIsDetected() {
    // One time limit for the whole loop: a hang anywhere fails the test instead of the build.
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      for (int i = 0; i < good.length; i++) {
        for (int mask : new int[] {0x01, 0x80, 0xFF}) {
          byte[] bad = good.clone();
          bad[i] ^= (byte) mask;
          assertCorrupt(() -> {
            try (IndexReader r = open(bad)) {
              r.verifyAll();
            }
          }, "flip 0x" + Integer.toHexString(mask) + " at offset " + i);
          readEverything(bad);
        }
      }
    });
  }

  @Test
  void everyTruncationIsDetected() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int len = 0; len < good.length; len++) {
        byte[] bad = java.util.Arrays.copyOf(good, len);
        assertCorrupt(() -> open(bad).close(), "truncation to " + len + " bytes");
      }
    });
  }

  @Test
  void truncatedSectionsAreReportedByName() {
    // TOCs, with consistent CRCs, under which a table runs past the end of its region.
    byte[] bad = withToc(toc.symbols(), toc.symbols() + 2, toc.labelIndices(), toc.labelOffsetTable(),
        toc.postings(), toc.postingsTable());
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> open(bad).symbolCount());
    assertEquals("symbol table", e.section());

    byte[] tableCut = withToc(toc.symbols(), toc.series(), toc.labelIndices(), toc.labelOffsetTable(),
        toc.postings(), IndexToc.offset(new ByteArraySource(good, "x")) - 6);
    e = assertThrows(CorruptDataException.class, () -> open(tableCut).labelNames());
    assertEquals("postings offset table", e.section());
    assertTrue(e.getMessage().contains("no room") || e.getMessage().contains("runs past"),
        e.getMessage());
  }

  @Test
  void badHeaderAndToc() {
    byte[] magic = good.clone();
    magic[0] = 0;
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> open(magic));
    assertTrue(e.getMessage().contains("magic number"), e.getMessage());
    assertEquals(0, e.offset());

    byte[] v1 = good.clone();
    v1[4] = 1;
    e = assertThrows(CorruptDataException.class, () -> open(v1));
    assertTrue(e.getMessage().contains("version 1 is not supported"), e.getMessage());

    byte[] tocCrc = good.clone();
    tocCrc[tocCrc.length - 1] ^= 1;
    e = assertThrows(CorruptDataException.class, () -> open(tocCrc));
    assertEquals("TOC", e.section());
    assertTrue(e.getMessage().contains("CRC32C mismatch"), e.getMessage());

    byte[] disorder = withToc(toc.symbols(), toc.series(), toc.postings() + 4, toc.labelOffsetTable(),
        toc.postings(), toc.postingsTable());
    e = assertThrows(CorruptDataException.class, () -> open(disorder));
    assertTrue(e.getMessage().contains("is before"), e.getMessage());

    byte[] beyond = withToc(toc.symbols(), toc.series(), toc.labelIndices(), toc.labelOffsetTable(),
        toc.postings(), 1L << 40);
    assertThrows(CorruptDataException.class, () -> open(beyond));
  }

  @Test
  void seriesWithSymbolRefOutOfRange() {
    long entry = IndexFormat.align(toc.series(), 16);
    byte[] bad = good.clone();
    // The first label's name ref follows the entry length and the label count (one byte each).
    int at = (int) entry + 2;
    assertTrue(bad[at] >= 0, "a one-byte ref");
    bad[at] = 0x7F;
    fixSeriesCrc(bad, entry);
    try (IndexReader r = open(bad)) {
      CorruptDataException e =
          assertThrows(CorruptDataException.class, () -> r.series(entry / 16, null));
      assertEquals("series", e.section());
      assertEquals(at, e.offset());
      assertTrue(e.getMessage().contains("symbol 127"), e.getMessage());
      assertThrows(CorruptDataException.class, r::verifyAll);
    }
  }

  @Test
  void seriesRefOutsideTheSeriesSection() {
    try (IndexReader r = open(good)) {
      CorruptDataException e = assertThrows(CorruptDataException.class, () -> r.series(0, null));
      assertEquals("series", e.section());
      assertThrows(CorruptDataException.class, () -> r.series(toc.labelIndices() / 16 + 1, null));
    }
  }

  @Test
  void postingsPointingOutsideOrBetweenSeries() {
    long allList = IndexFormat.align(toc.postings(), 4);
    int firstRef = (int) allList + 8;
    // Past the series section.
    byte[] outside = good.clone();
    ByteBuffer.wrap(outside).putInt(firstRef, (int) (toc.labelIndices() / 16 + 3));
    fixSectionCrc(outside, allList);
    try (IndexReader r = open(outside)) {
      CorruptDataException e =
          assertThrows(CorruptDataException.class, () -> Postings.count(r.allPostings()));
      assertEquals("postings", e.section());
      assertEquals(firstRef, e.offset());
    }
    // Inside the section but not at a series entry (one past the first): only verification sees it.
    byte[] between = good.clone();
    ByteBuffer buf = ByteBuffer.wrap(between);
    buf.putInt(firstRef, buf.getInt(firstRef) + 1);
    fixSectionCrc(between, allList);
    try (IndexReader r = open(between)) {
      CorruptDataException e = assertThrows(CorruptDataException.class, r::verifyAll);
      assertTrue(e.getMessage().contains("where no series entry starts"), e.getMessage());
    }
  }

  @Test
  void symbolCountLargerThanTheTable() {
    byte[] bad = good.clone();
    ByteBuffer.wrap(bad).putInt((int) toc.symbols() + 4, 1 << 30);
    fixSectionCrc(bad, toc.symbols());
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> open(bad).symbol(0));
    assertEquals("symbol table", e.section());
    assertEquals(toc.symbols() + 4, e.offset());
  }

  @Test
  void postingsTableOffsetOutsideThePostings() {
    byte[] bad = good.clone();
    // The first entry is the list of all series: keys 2, "" and "" take three bytes, then offset.
    int at = (int) toc.postingsTable() + 8 + 3;
    assertEquals(IndexFormat.align(toc.postings(), 4), Varint.uvarint(bad, at, bad.length));
    bad[at] = 1; // a one-byte offset, before the postings section
    shiftLeft(bad, at + 1, Varint.uvarintSize(IndexFormat.align(toc.postings(), 4)) - 1);
    fixSectionCrc(bad, toc.postingsTable());
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> open(bad).labelNames());
    assertEquals("postings offset table", e.section());
    assertTrue(e.getMessage().contains("outside the postings section"), e.getMessage());
  }

  @Test
  void fixingTheCrcRestoresTheOriginal() {
    // Guards the helpers above: recomputing CRCs of an intact file changes nothing.
    byte[] copy = good.clone();
    fixSectionCrc(copy, toc.symbols());
    fixSectionCrc(copy, IndexFormat.align(toc.postings(), 4));
    fixSectionCrc(copy, toc.postingsTable());
    fixSeriesCrc(copy, IndexFormat.align(toc.series(), 16));
    assertArrayEquals(good, copy);
  }

  // Removes n bytes at `at` by moving the rest of the file left, keeping its length: only for
  // damage near the end of a table, where what follows is the table's CRC (recomputed) and the TOC.
  private void shiftLeft(byte[] b, int at, int n) {
    if (n == 0) {
      return;
    }
    long tableLenAt = toc.postingsTable();
    ByteBuffer buf = ByteBuffer.wrap(b);
    int len = buf.getInt((int) tableLenAt);
    System.arraycopy(b, at + n, b, at, b.length - at - n);
    buf.putInt((int) tableLenAt, len - n);
    // Re-append the TOC at the end, with its offsets unchanged.
    byte[] tocBytes = java.util.Arrays.copyOfRange(good, good.length - IndexFormat.TOC_SIZE, good.length);
    System.arraycopy(tocBytes, 0, b, b.length - tocBytes.length, tocBytes.length);
  }

  private static void fixSectionCrc(byte[] b, long off) {
    ByteBuffer buf = ByteBuffer.wrap(b);
    int len = buf.getInt((int) off);
    CRC32C crc = new CRC32C();
    crc.update(b, (int) off + 4, len);
    buf.putInt((int) off + 4 + len, (int) crc.getValue());
  }

  private static void fixSeriesCrc(byte[] b, long entry) {
    int len = (int) Varint.uvarint(b, (int) entry, b.length);
    int body = (int) entry + Varint.uvarintSize(len);
    CRC32C crc = new CRC32C();
    crc.update(b, body, len);
    ByteBuffer.wrap(b).putInt(body + len, (int) crc.getValue());
  }

  private byte[] withToc(long... offsets) {
    byte[] b = good.clone();
    ByteBuffer buf = ByteBuffer.wrap(b);
    int at = b.length - IndexFormat.TOC_SIZE;
    for (int i = 0; i < offsets.length; i++) {
      buf.putLong(at + 8 * i, offsets[i]);
    }
    CRC32C crc = new CRC32C();
    crc.update(b, at, 48);
    buf.putInt(at + 48, (int) crc.getValue());
    return b;
  }
}
