package dev.strata.benchmarks.tsdb;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Selecting 1 000 series over 2 h (480 samples each at 15 s) and decoding every sample, from the
 * head and from a block. Score: ns per sample decoded (1 / samples per second).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(QueryBenchmark.SAMPLES)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QueryBenchmark {
  static final long HOUR = 3_600_000L;
  static final int SERIES = 1000;
  static final int SAMPLES = SERIES * 480;

  @Param({"head", "block"})
  public String source;

  Path dir;
  Tsdb db;
  long mint;
  long maxt;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("strata-query-bench");
    db = Tsdb.open(dir, TsdbOptions.builder().automaticCompaction(false).build());
    Appender app = db.appender();
    long[] refs = new long[SERIES * 5];
    // 5 000 series over 6 h; the query picks 1 000 of them by a label.
    for (long t = 0; t < 6 * HOUR; t += 15_000) {
      for (int s = 0; s < refs.length; s++) {
        double v = (t / 15_000) * (s % 7) + (s % 3) * 0.5;
        if (refs[s] == 0) {
          refs[s] = app.append(Labels.of("__name__", "bench_metric", "group", Integer.toString(s % 5),
              "instance", "host-" + s), t, v);
        } else {
          app.append(refs[s], t, v);
        }
      }
      app.commit();
    }
    if (source.equals("block")) {
      db.compact(); // cuts [0, 2h) and [2h, 4h) into blocks
      mint = 0;
      maxt = 2 * HOUR - 1;
    } else {
      mint = 4 * HOUR;
      maxt = 6 * HOUR - 1;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    db.close();
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public long selectAndDecode() {
    long sum = 0;
    try (Querier q = db.querier(mint, maxt)) {
      SeriesSet set = q.select(LabelMatcher.equal("__name__", "bench_metric"), LabelMatcher.equal("group", "3"));
      while (set.next()) {
        SampleIterator it = set.at().samples();
        while (it.next()) {
          sum += it.t();
        }
      }
    }
    return sum;
  }
}
