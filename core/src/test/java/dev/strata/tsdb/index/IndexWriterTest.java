package dev.strata.tsdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.chunks.ChunkRef;
import dev.strata.tsdb.index.IndexFixtures.Series;
import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexWriterTest {
  @TempDir Path dir;

  private static Series series(ChunkMetas chunks, String... pairs) {
    return new Series(Labels.of(pairs), chunks);
  }

  private void roundTrip(List<Series> series) throws IOException {
    Path file = dir.resolve("index");
    IndexFixtures.write(file, series);
    IndexRoundTripTest.check(file, series, IndexFixtures.symbols(series));
  }

  @Test
  void emptyIndexHasTheFixedLayout() throws IOException {
    Path file = dir.resolve("index");
    IndexWriter.create(file).close();
    byte[] b = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(b);
    assertEquals(IndexFormat.MAGIC, buf.getInt(0));
    assertEquals(2, b[4]);
    // Symbols: length 4 (just the count), count 0, CRC; the series section is empty.
    assertEquals(4, buf.getInt(5));
    assertEquals(0, buf.getInt(9));
    long tocAt = b.length - IndexFormat.TOC_SIZE;
    assertEquals(5, buf.getLong((int) tocAt));
    long series = buf.getLong((int) tocAt + 8);
    assertEquals(17, series, "series start right after the symbol table's CRC");
    assertEquals(series, buf.getLong((int) tocAt + 16), "no series, so label indices start there");
    long postings = buf.getLong((int) tocAt + 32);
    assertEquals(series, postings, "no label indices either");
    // The list of all series, empty, at the next multiple of 4.
    assertEquals(4, buf.getInt(20)); // length: the count and no refs
    assertEquals(0, buf.getInt(24));
    try (IndexReader r = IndexReader.open(file)) {
      assertEquals(0, r.verifyAll());
      assertEquals(0, r.seriesCount());
      assertEquals(List.of(), r.labelNames());
      assertFalse(r.allPostings().next());
      assertFalse(r.postingsForMatchers(dev.strata.tsdb.labels.LabelMatcher.equal("a", "")).next());
    }
  }

  @Test
  void emptyIndexWithSymbols() throws IOException {
    Path file = dir.resolve("index");
    IndexFixtures.write(file, List.of(), List.of("", "a", "b"), 10);
    IndexRoundTripTest.check(file, List.of(), new TreeSet<>(List.of("", "a", "b")));
  }

  @Test
  void singleSeriesWithoutChunks() throws IOException {
    roundTrip(List.of(series(new ChunkMetas(), "__name__", "up")));
  }

  @Test
  void extremeChunkMetasRoundTrip() throws IOException {
    ChunkMetas chunks = new ChunkMetas()
        .add(Long.MIN_VALUE, Long.MIN_VALUE + 1, 0)
        .add(-5, -1, ChunkRef.of(Integer.MAX_VALUE, ChunkRef.MAX_OFFSET))
        .add(-10, 3, 8) // starts before the previous chunk ended, ref goes down
        .add(7, 2, -1) // ends before it starts; an all-ones ref
        .add(Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MIN_VALUE);
    roundTrip(List.of(series(chunks, "__name__", "x", "job", "a")));
  }

  @Test
  void manyLabelsAndLongValues() throws IOException {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      pairs.add(String.format("label_%03d", i));
      pairs.add("value " + i + " \u00e9\ud83d\ude00");
    }
    String huge = "v".repeat(1 << 20) + "\u65e5";
    List<Series> series = IndexFixtures.normalize(List.of(
        series(new ChunkMetas().add(1, 2, 3), pairs.toArray(new String[0])),
        series(new ChunkMetas(), "label_000", huge),
        series(new ChunkMetas().add(0, 0, 16), "label_000", "\uffff", "zz", "\ud83d\ude00")));
    roundTrip(series);
  }

  @Test
  void rejectsSymbolsOutOfOrderAndKeepsGoing() throws IOException {
    try (IndexWriter w = IndexWriter.create(dir.resolve("index"))) {
      w.addSymbol("b");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.addSymbol("a"));
      assertTrue(e.getMessage().contains("does not sort after"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> w.addSymbol("b"));
      // Byte order, not UTF-16 order: U+FFFF sorts before a supplementary character.
      w.addSymbol("\uffff");
      w.addSymbol("\ud83d\ude00");
      assertThrows(IllegalArgumentException.class, () -> w.addSymbol("\ue000"));
    }
  }

  @Test
  void rejectsMisuseOfSeries() throws IOException {
    Path file = dir.resolve("index");
    IndexWriter w = IndexWriter.create(file);
    for (String s : List.of("a", "b", "job", "x")) {
      w.addSymbol(s);
    }
    ChunkMetas none = new ChunkMetas();
    w.addSeries(Labels.of("job", "b"), none);
    IllegalArgumentException order =
        assertThrows(IllegalArgumentException.class, () -> w.addSeries(Labels.of("job", "a"), none));
    assertTrue(order.getMessage().contains("does not sort after"), order.getMessage());
    assertThrows(IllegalArgumentException.class, () -> w.addSeries(Labels.of("job", "b"), none));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> w.addSeries(Labels.of("job", "c"), none));
    assertTrue(unknown.getMessage().contains("\"c\"") && unknown.getMessage().contains("symbol"),
        unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> w.addSeries(Labels.of("zone", "x"), none));
    assertThrows(IllegalArgumentException.class, () -> w.addSeries(Labels.EMPTY, none));
    IllegalStateException late = assertThrows(IllegalStateException.class, () -> w.addSymbol("z"));
    assertTrue(late.getMessage().contains("after the first series"), late.getMessage());
    // The failed calls left nothing behind.
    w.addSeries(Labels.of("job", "x"), new ChunkMetas().add(1, 2, 3));
    w.close();
    w.close();
    assertThrows(IllegalStateException.class, () -> w.addSeries(Labels.of("job", "x"), none));
    try (IndexReader r = IndexReader.open(file)) {
      assertEquals(2, r.verifyAll());
      assertEquals(List.of("b", "x"), r.labelValues("job"));
    }
  }

  @Test
  void abortDeletesTheFile() throws IOException {
    Path file = dir.resolve("index");
    IndexWriter w = IndexWriter.create(file);
    w.addSymbol("a");
    w.addSeries(Labels.of("a", "a"), new ChunkMetas());
    w.abort();
    assertFalse(Files.exists(file));
  }

  @Test
  void overwritesAnExistingFile() throws IOException {
    Path file = dir.resolve("index");
    Files.write(file, new byte[100_000]);
    List<Series> one = List.of(series(new ChunkMetas().add(1, 2, 8), "a", "b"));
    IndexFixtures.write(file, one);
    Path fresh = dir.resolve("fresh");
    IndexFixtures.write(fresh, one);
    assertArrayEquals(Files.readAllBytes(fresh), Files.readAllBytes(file));
  }
}
