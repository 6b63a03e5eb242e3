package dev.strata.tsdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tsdb.index.IndexFixtures.Series;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.MatchType;
import dev.strata.tsdb.labels.Utf8Order;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexReader#postingsForMatchers} and {@link IndexReader#labelValues(String,
 * LabelMatcher...)} against the definition: a scan of every series with {@link
 * LabelMatcher#matches(Labels)}.
 */
class PostingsForMatchersTest {
  private static final String[] NAMES = {"__name__", "job", "instance", "le", "zone", "é"};
  private static final String[] VALUES = {"a", "b", "ab", "ba", "abc", "é", "😀", "\uffff", "a.b", "1"};
  private static final String[] PATTERNS = {
    "", "a", "b", ".*", ".+", "a.*", ".*b", "a|b", "ab|ba|x", "(a|é)b?", "[a-c]", "a.b", "a\\.b",
    "é|😀", ".", "..", "(?i)A", "b*", "\uffff|1", "x|", "[^a]+", "a.*|b.*", "1|.*c"
  };

  private Path dir;
  private IndexReader reader;
  private List<Labels> all;
  private List<Long> refs;

  @BeforeProperty
  void createDir() throws IOException {
    dir = Files.createTempDirectory("index-matchers");
  }

  @AfterProperty
  void deleteDir() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<List<Series>> seriesSets() {
    Arbitrary<String> names = Arbitraries.of(NAMES).filter(n -> !n.equals("é"));
    Arbitrary<String> values = Arbitraries.of(VALUES);
    return IndexFixtures.labels(names, values)
        .map(l -> new Series(l, new ChunkMetas()))
        .list().ofMaxSize(80).withSizeDistribution(RandomDistribution.uniform())
        .map(IndexFixtures::normalize);
  }

  @Provide
  Arbitrary<List<LabelMatcher>> matchers() {
    Arbitrary<MatchType> type = Arbitraries.of(MatchType.class);
    Arbitrary<String> name = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.of(NAMES)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("")));
    Arbitrary<String> literal = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.of(VALUES)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("")),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("zz")));
    Arbitrary<String> pattern = Arbitraries.of(PATTERNS);
    return Combinators.combine(type, name, literal, pattern)
        .as((t, n, l, p) -> LabelMatcher.of(t, n, t.isRegex() ? p : l))
        .list().ofMinSize(0).ofMaxSize(4);
  }

  private void open(List<Series> series) throws IOException {
    Path file = dir.resolve("index");
    IndexFixtures.write(file, series);
    reader = IndexReader.open(file);
    all = series.stream().map(Series::labels).toList();
    refs = IndexRoundTripTest.box(Postings.toArray(reader.allPostings()));
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void matchesAScanOfAllSeries(
      @ForAll("seriesSets") List<Series> series, @ForAll("matchers") List<LabelMatcher> matchers)
      throws IOException {
    open(series);
    try (IndexReader r = reader) {
      LabelMatcher[] ms = matchers.toArray(new LabelMatcher[0]);
      List<Long> expected = new ArrayList<>();
      TreeSet<String>[] values = valueSets();
      for (int i = 0; i < all.size(); i++) {
        Labels l = all.get(i);
        if (ms.length > 0 && Arrays.stream(ms).allMatch(m -> m.matches(l))) {
          expected.add(refs.get(i));
          for (int k = 0; k < NAMES.length; k++) {
            if (l.has(NAMES[k])) {
              values[k].add(l.get(NAMES[k]));
            }
          }
        }
      }
      assertEquals(expected, IndexRoundTripTest.box(Postings.toArray(r.postingsForMatchers(ms))),
          () -> matchers.toString());
      if (ms.length > 0) {
        for (int k = 0; k < NAMES.length; k++) {
          String name = NAMES[k];
          assertEquals(new ArrayList<>(values[k]), r.labelValues(name, ms),
              () -> "values of " + name + " for " + matchers);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static TreeSet<String>[] valueSets() {
    TreeSet<String>[] out = new TreeSet[NAMES.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = new TreeSet<>(Utf8Order.COMPARATOR);
    }
    return out;
  }

  @Test
  void prometheusExamples() throws IOException {
    dir = Files.createTempDirectory("index-matchers");
    try {
      List<Series> series = IndexFixtures.normalize(List.of(
          new Series(Labels.of("n", "1"), new ChunkMetas()),
          new Series(Labels.of("n", "1", "i", "a"), new ChunkMetas()),
          new Series(Labels.of("n", "1", "i", "b"), new ChunkMetas()),
          new Series(Labels.of("n", "2"), new ChunkMetas()),
          new Series(Labels.of("n", "2.5"), new ChunkMetas())));
      open(series);
      try (IndexReader r = reader) {
        check(r, "n=1 (three series)", LabelMatcher.equal("n", "1"));
        check(r, "n=1,i=a", LabelMatcher.equal("n", "1"), LabelMatcher.equal("i", "a"));
        check(r, "n=1,i=\"\" selects the one without i", LabelMatcher.equal("n", "1"),
            LabelMatcher.equal("i", ""));
        check(r, "i!=\"\"", LabelMatcher.notEqual("i", ""));
        check(r, "n!=1 includes nothing without n", LabelMatcher.notEqual("n", "1"));
        check(r, "i=~\".*\" everything", LabelMatcher.regex("i", ".*"));
        check(r, "i=~\".+\"", LabelMatcher.regex("i", ".+"));
        check(r, "n=~\"1|2.5\"", LabelMatcher.regex("n", "1|2.5"));
        check(r, "n=~\"^2.*\"", LabelMatcher.regex("n", "2.*"));
        check(r, "i=~\".\", i!=\"a\"", LabelMatcher.regex("i", "."), LabelMatcher.notEqual("i", "a"));
        check(r, "n=1,i!~\"a|\"", LabelMatcher.equal("n", "1"), LabelMatcher.notRegex("i", "a|"));
        check(r, "missing=\"\"", LabelMatcher.equal("missing", ""));
        check(r, "missing!=\"\"", LabelMatcher.notEqual("missing", ""));
      }
    } finally {
      deleteDir();
    }
  }

  private void check(IndexReader r, String what, LabelMatcher... ms) {
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Labels l = all.get(i);
      if (Arrays.stream(ms).allMatch(m -> m.matches(l))) {
        expected.add(refs.get(i));
      }
    }
    assertEquals(expected, IndexRoundTripTest.box(Postings.toArray(r.postingsForMatchers(ms))), what);
  }
}
