package dev.strata.benchmarks.index;

import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.IndexReader;
import dev.strata.tsdb.index.IndexWriter;
import dev.strata.tsdb.index.Postings;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Index lookups on a block of a million series, written once per trial with {@link IndexWriter}
 * and read through {@link IndexReader} from the mapping, against naive baselines in the same run.
 *
 * <p>Series: 5 metrics x 10,000 instances x 20 pods; each instance belongs to one of 20 jobs and
 * each pod to one of 3 zones. So {@code job="job-07"} has 50,000 series, {@code zone="z1"} about
 * 333,000 and {@code instance="inst-00042"} 100.
 *
 * <ul>
 *   <li>{@code intersect}: the series with two label pairs. Strata looks both lists up in the
 *       postings offset table and leapfrogs over the mapped lists. Baseline: the two lists already
 *       on the heap as sorted int arrays, intersected by a linear merge (no lookup, no decoding).
 *       {@code pairs=large} intersects 50,000 with 333,000 refs; {@code pairs=selective} 100 with
 *       333,000.
 *   <li>{@code select}: {@code job="job-07", instance=~"inst-0004.*"} (50 series), decoding the
 *       labels and chunk metas of each match. Strata resolves the matchers through the index
 *       (the regex walks the instance values from its literal prefix). Baseline: a scan of the
 *       million label sets held on the heap, testing both matchers, as a store without an index
 *       would.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class IndexBenchmark {
  static final int METRICS = 5;
  static final int INSTANCES = 10_000;
  static final int PODS = 20;

  /** The index of a million series, written to a temporary directory, and its label sets. */
  @State(Scope.Benchmark)
  public static class Block {
    Path dir;
    IndexReader reader;
    List<Labels> all;
    int[] allRefs;
    final LabelMatcher[] matchers = {
      LabelMatcher.equal("job", "job-07"), LabelMatcher.regex("instance", "inst-0004.*")
    };
    final ChunkMetas chunks = new ChunkMetas();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("strata-index-bench");
      Path file = dir.resolve("index");
      all = new ArrayList<>(METRICS * INSTANCES * PODS);
      TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
      for (int m = 0; m < METRICS; m++) {
        for (int i = 0; i < INSTANCES; i++) {
          for (int p = 0; p < PODS; p++) {
            all.add(Labels.of("__name__", "metric_" + m, "instance", pad("inst-", i, 5),
                "job", pad("job-", i % 20, 2), "pod", pad("pod-", p, 2), "zone", "z" + (p % 3)));
          }
        }
      }
      for (Labels l : all) {
        l.forEach((n, v) -> {
          symbols.add(n);
          symbols.add(v);
        });
      }
      all.sort(Comparator.naturalOrder());
      try (IndexWriter w = IndexWriter.create(file)) {
        for (String s : symbols) {
          w.addSymbol(s);
        }
        ChunkMetas c = new ChunkMetas();
        long n = 0;
        for (Labels l : all) {
          long t = 1_700_000_000_000L;
          c.clear().add(t, t + 7_199_000, 8 + 200 * n).add(t + 7_200_000, t + 14_399_000, 108 + 200 * n);
          w.addSeries(l, c);
          n++;
        }
      }
      reader = IndexReader.open(file);
      allRefs = toInts(reader.allPostings());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      reader.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** Two label pairs to intersect, and their lists on the heap for the baseline. */
  @State(Scope.Benchmark)
  public static class Pairs {
    @Param({"large", "selective"})
    public String pairs;

    String[] a;
    String[] b;
    int[] listA;
    int[] listB;

    @Setup(Level.Trial)
    public void setUp(Block block) {
      a = pairs.equals("large") ? new String[] {"job", "job-07"} : new String[] {"instance", "inst-00042"};
      b = new String[] {"zone", "z1"};
      listA = toInts(block.reader.postings(a[0], a[1]));
      listB = toInts(block.reader.postings(b[0], b[1]));
    }
  }

  private static String pad(String prefix, int v, int width) {
    String s = Integer.toString(v);
    return prefix + "0".repeat(Math.max(0, width - s.length())) + s;
  }

  private static int[] toInts(Postings p) {
    long[] refs = Postings.toArray(p);
    int[] out = new int[refs.length];
    for (int i = 0; i < refs.length; i++) {
      out[i] = (int) refs[i];
    }
    return out;
  }

  @Benchmark
  public long intersectStrata(Block block, Pairs pairs) {
    IndexReader r = block.reader;
    Postings p = Postings.intersect(r.postings(pairs.a[0], pairs.a[1]), r.postings(pairs.b[0], pairs.b[1]));
    long sum = 0;
    while (p.next()) {
      sum += p.at();
    }
    return sum;
  }

  @Benchmark
  public long intersectBaseline(Pairs pairs) {
    int[] a = pairs.listA;
    int[] b = pairs.listB;
    long sum = 0;
    for (int i = 0, j = 0; i < a.length && j < b.length; ) {
      int x = a[i];
      int y = b[j];
      if (x == y) {
        sum += x;
        i++;
        j++;
      } else if (x < y) {
        i++;
      } else {
        j++;
      }
    }
    return sum;
  }

  @Benchmark
  public void selectStrata(Block block, Blackhole bh) {
    IndexReader r = block.reader;
    Postings p = r.postingsForMatchers(block.matchers);
    while (p.next()) {
      bh.consume(r.series(p.at(), block.chunks));
      bh.consume(block.chunks.ref(0));
    }
  }

  @Benchmark
  public void selectBaseline(Block block, Blackhole bh) {
    LabelMatcher job = block.matchers[0];
    LabelMatcher instance = block.matchers[1];
    List<Labels> series = block.all;
    for (int i = 0; i < series.size(); i++) {
      Labels l = series.get(i);
      if (job.matches(l) && instance.matches(l)) {
        bh.consume(l);
        bh.consume(block.allRefs[i]);
      }
    }
  }
}
