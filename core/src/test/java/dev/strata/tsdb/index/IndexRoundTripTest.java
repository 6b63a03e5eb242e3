package dev.strata.tsdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.index.IndexFixtures.Series;
import dev.strata.tsdb.labels.Utf8Order;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/** Whatever the writer writes, the reader reads back exactly, and verification accepts. */
class IndexRoundTripTest {
  private Path dir;

  @BeforeProperty
  void createDir() throws IOException {
    dir = Files.createTempDirectory("index-roundtrip");
  }

  @AfterProperty
  void deleteDir() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<List<Series>> seriesSets() {
    return IndexFixtures.seriesSets(60);
  }

  @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
  void readsBackWhatWasWritten(@ForAll("seriesSets") List<Series> series) throws IOException {
    Path file = dir.resolve("index");
    IndexFixtures.write(file, series);
    check(file, series, IndexFixtures.symbols(series));
  }

  @Property(tries = 40, edgeCases = EdgeCasesMode.NONE)
  void postingsBatchSizeDoesNotChangeTheBytes(
      @ForAll("seriesSets") List<Series> series, @ForAll("batches") int batch) throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    List<String> extra = List.of("", "unused", "\uFFFF\uFFFF");
    IndexFixtures.write(a, series, extra, IndexWriter.DEFAULT_POSTINGS_BATCH);
    IndexFixtures.write(b, series, extra, batch);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    TreeSet<String> symbols = IndexFixtures.symbols(series);
    symbols.addAll(extra);
    check(b, series, symbols);
  }

  @Provide
  Arbitrary<Integer> batches() {
    return net.jqwik.api.Arbitraries.integers().between(1, 7);
  }

  static void check(Path file, List<Series> series, TreeSet<String> expectedSymbols)
      throws IOException {
    try (IndexReader r = IndexReader.open(file)) {
      assertEquals(series.size(), r.verifyAll(), "verifyAll counts the series");
      assertEquals(series.size(), r.seriesCount());

      // Symbols: order, lookups both ways.
      List<String> symbols = new ArrayList<>();
      r.forEachSymbol(symbols::add);
      assertEquals(new ArrayList<>(expectedSymbols), symbols);
      assertEquals(symbols.size(), r.symbolCount());
      for (int i = 0; i < symbols.size(); i++) {
        assertEquals(symbols.get(i), r.symbol(i));
        assertEquals(i, r.symbolRef(symbols.get(i)));
      }
      assertEquals(-1, r.symbolRef("not a symbol \u0001"));

      // Series, in order, through the list of all series.
      Postings all = r.allPostings();
      ChunkMetas chunks = new ChunkMetas();
      List<Long> refs = new ArrayList<>();
      for (Series s : series) {
        assertTrue(all.next(), "all postings end early");
        refs.add(all.at());
        assertEquals(s.labels(), r.series(all.at(), chunks));
        assertEquals(s.chunks(), chunks, () -> "chunks of " + s.labels());
      }
      assertFalse(all.next(), "all postings run long");

      // Names, values and the postings of every pair, against a model.
      Map<String, TreeMap<String, List<Long>>> model = new TreeMap<>(Utf8Order.COMPARATOR);
      for (int i = 0; i < series.size(); i++) {
        long ref = refs.get(i);
        series.get(i).labels().forEach((n, v) ->
            model.computeIfAbsent(n, x -> new TreeMap<>(Utf8Order.COMPARATOR))
                .computeIfAbsent(v, x -> new ArrayList<>()).add(ref));
      }
      assertEquals(new ArrayList<>(model.keySet()), r.labelNames());
      Map<String, Long> seriesPerName = new HashMap<>();
      for (var e : model.entrySet()) {
        String name = e.getKey();
        assertEquals(new ArrayList<>(e.getValue().keySet()), r.labelValues(name));
        assertEquals(e.getValue().size(), r.labelValueCount(name));
        List<Long> union = new ArrayList<>();
        for (var v : e.getValue().entrySet()) {
          assertEquals(v.getValue(), box(Postings.toArray(r.postings(name, v.getKey()))),
              () -> name + "=" + v.getKey());
          union.addAll(v.getValue());
        }
        union.sort(null);
        String[] values = e.getValue().keySet().toArray(new String[0]);
        assertEquals(union, box(Postings.toArray(r.postings(name, reversed(values)))));
        seriesPerName.put(name, (long) union.size());
      }
      assertEquals(0, Postings.toArray(r.postings("no_such_label", "x")).length);
      assertEquals(List.of(), r.labelValues("no_such_label"));
      for (LabelStats st : r.labelStats()) {
        assertEquals(seriesPerName.get(st.name()), st.series());
        assertEquals(model.get(st.name()).size(), st.values());
        assertEquals(12L * st.values() + 4 * st.series(), st.postingsBytes());
      }
      assertEquals(model.size(), r.labelStats().size());
      assertTrue(r.heapBytes() > 0, "tables are loaded");
    }
  }

  private static String[] reversed(String[] a) {
    String[] out = new String[a.length * 2];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[a.length - 1 - i];
      out[a.length + i] = a[i]; // duplicates are fine
    }
    return out;
  }

  static List<Long> box(long[] a) {
    List<Long> out = new ArrayList<>(a.length);
    for (long x : a) {
      out.add(x);
    }
    return out;
  }
}
