package dev.strata.tsdb.index;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/** Series sets for index tests, and writing them the way a block writer drives the writer. */
final class IndexFixtures {
  private IndexFixtures() {}

  /** A series as the tests hand it to the writer. */
  record Series(Labels labels, ChunkMetas chunks) {}

  /** Sorts by labels and drops duplicate label sets, keeping the first. */
  static List<Series> normalize(Collection<Series> input) {
    TreeMap<Labels, Series> sorted = new TreeMap<>();
    for (Series s : input) {
      if (!s.labels().isEmpty()) {
        sorted.putIfAbsent(s.labels(), s);
      }
    }
    return new ArrayList<>(sorted.values());
  }

  /** Every label name and value, in symbol table order. */
  static TreeSet<String> symbols(List<Series> series) {
    TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
    for (Series s : series) {
      s.labels().forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      });
    }
    return symbols;
  }

  /** Writes {@code series} (sorted, distinct) with their symbols plus {@code extraSymbols}. */
  static void write(Path file, List<Series> series, Collection<String> extraSymbols, int batch)
      throws IOException {
    TreeSet<String> symbols = symbols(series);
    symbols.addAll(extraSymbols);
    try (IndexWriter w = IndexWriter.create(file, batch)) {
      for (String s : symbols) {
        w.addSymbol(s);
      }
      for (Series s : series) {
        w.addSeries(s.labels(), s.chunks());
      }
    }
  }

  static void write(Path file, List<Series> series) throws IOException {
    write(file, series, List.of(), IndexWriter.DEFAULT_POSTINGS_BATCH);
  }

  // ---- generators -------------------------------------------------------------------------------

  static Arbitrary<String> names() {
    Arbitrary<String> common =
        Arbitraries.of("__name__", "job", "instance", "le", "A", "Z", "_", "a", "b", "zone", "x_1");
    Arbitrary<String> generated =
        Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withChars('_', 'A', 'Q').ofLength(1),
                Arbitraries.strings().withCharRange('a', 'f').withChars('_', '0', '9', 'Z')
                    .ofMaxLength(8))
            .as(String::concat);
    return Arbitraries.frequencyOf(
        Tuple.of(3, common), Tuple.of(1, generated));
  }

  /** Values that stress ordering and encoding: BMP above surrogates, supplementary, long, quotes. */
  static Arbitrary<String> values() {
    Arbitrary<String> small = Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(2);
    Arbitrary<String> special =
        Arbitraries.of(
            "é", "ÿ", "\uFFFD", "\uE000", "\uFFFF", "😀", "😀x", "a😀", "日本", "\"", "\\", "\n",
            "a b", "0", "-1", "zz", "\u007F", "\u0080");
    Arbitrary<String> unicode =
        Arbitraries.integers().between(0x20, 0x10FFFF)
            .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
            .list().ofMinSize(1).ofMaxSize(6)
            .map(cps -> {
              StringBuilder sb = new StringBuilder();
              cps.forEach(sb::appendCodePoint);
              return sb.toString();
            });
    Arbitrary<String> longs = Arbitraries.strings().ascii().ofMinLength(130).ofMaxLength(3000)
        .filter(s -> !s.isEmpty());
    return Arbitraries.frequencyOf(
        Tuple.of(6, small), Tuple.of(3, special),
        Tuple.of(2, unicode), Tuple.of(1, longs));
  }

  /** Chunk metas with arbitrary times and refs: negative, huge, overlapping. */
  static Arbitrary<ChunkMetas> chunks() {
    Arbitrary<Long> time = Arbitraries.oneOf(
        Arbitraries.longs().between(-5_000, 5_000),
        Arbitraries.longs().between(1_600_000_000_000L, 1_800_000_000_000L),
        Arbitraries.longs());
    Arbitrary<Long> ref = Arbitraries.oneOf(
        Arbitraries.longs().between(8, 1 << 20),
        Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(off -> (5L << 32) | off),
        Arbitraries.longs());
    return Combinators.combine(time, time, ref).as((a, b, c) -> new long[] {a, b, c})
        .list().ofMaxSize(6)
        .map(list -> {
          ChunkMetas m = new ChunkMetas(1);
          for (long[] x : list) {
            m.add(Math.min(x[0], x[1]), Math.max(x[0], x[1]), x[2]);
          }
          return m;
        });
  }

  private static final String[] METRICS = {"up", "http_requests_total", "a:b", "_x", "Z9"};

  static Arbitrary<Labels> labels(Arbitrary<String> names, Arbitrary<String> values) {
    return Combinators.combine(names, values).as((n, v) -> Map.entry(n, v))
        .list().ofMinSize(1).ofMaxSize(9)
        .map(entries -> {
          Map<String, String> m = new TreeMap<>();
          entries.forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
          // Metric names have a narrower alphabet; derive one from the generated value.
          m.computeIfPresent(Labels.METRIC_NAME, (k, v) -> METRICS[Math.floorMod(v.hashCode(), METRICS.length)]);
          return Labels.fromMap(m);
        });
  }

  static Arbitrary<List<Series>> seriesSets(int maxSize) {
    return Combinators.combine(labels(names(), values()), chunks()).as(Series::new)
        .list().ofMaxSize(maxSize).withSizeDistribution(RandomDistribution.uniform())
        .map(IndexFixtures::normalize);
  }
}
