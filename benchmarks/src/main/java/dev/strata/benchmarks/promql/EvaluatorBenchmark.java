package dev.strata.benchmarks.promql;

import dev.strata.benchmarks.downsample.RawBlockGenerator;
import dev.strata.promql.Engine;
import dev.strata.promql.Queryable;
import dev.strata.promql.Value;
import dev.strata.promql.parser.Expr;
import dev.strata.promql.parser.PromqlParser;
import dev.strata.tsdb.ReadOnlyTsdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 * The evaluator's inner loops through the public {@link Engine} API: range queries over one 2 h
 * block of a {@link DashboardFleet} of 250 hosts (7,500 series, 2,000 of them
 * {@code http_requests_total} in 5 jobs), from 5 minutes after the block's start to its end, so
 * that every window lies inside the data. Score: ns per input sample, the 960,000 samples the
 * selector reads (2,000 series x 480 scrapes); {@code -prof gc}'s {@code gc.alloc.rate.norm} is
 * then bytes allocated per input sample.
 *
 * <p>The block is written once per trial and read through {@link ReadOnlyTsdb}, as
 * {@code strata serve --read-only} reads a Prometheus directory; the page cache holds it after the
 * first invocation, so the figures are the engine's, decoding included, not the disk's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(EvaluatorBenchmark.INPUT_SAMPLES)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvaluatorBenchmark {
  static final int HOSTS = 250;
  static final int REQUEST_SERIES = HOSTS * 8;
  static final int INPUT_SAMPLES = REQUEST_SERIES * 480;
  // A 2 h boundary, as Prometheus's blocks start; any one would do.
  static final long START = 1_700_006_400_000L;
  static final long END = START + DashboardDataGenerator.BLOCK_MS - 1;

  /** Step of the range queries in ms: one point per scrape, or a dashboard's usual minute. */
  @Param({"15000", "60000"})
  public long step;

  Path dir;
  ReadOnlyTsdb db;
  Queryable source;
  Engine engine;
  Expr rate;
  Expr sumByJobOfRate;
  Expr sumByJob;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("strata-evaluator-bench");
    DashboardFleet fleet = new DashboardFleet(HOSTS, 1, START);
    RawBlockGenerator.write(dir, fleet.labels(), START, 2, fleet);
    db = ReadOnlyTsdb.open(dir);
    source = db::querier;
    engine = new Engine();
    // Parsed once: the benchmark measures evaluation, not parsing.
    rate = PromqlParser.parse("rate(http_requests_total[5m])");
    sumByJobOfRate = PromqlParser.parse("sum by (job) (rate(http_requests_total[5m]))");
    sumByJob = PromqlParser.parse("sum by (job) (http_requests_total)");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    db.close();
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private Value range(Expr expr) {
    return engine.rangeQuery(source, expr, START + 300_000, END, step).value();
  }

  /** A moving 5 m window per series and step: the range functions' loop. */
  @Benchmark
  public Value rate() {
    return range(rate);
  }

  /** The same windows, then 2,000 series folded into 5 groups at every step. */
  @Benchmark
  public Value sumByJobOfRate() {
    return range(sumByJobOfRate);
  }

  /** Instant selection with the 5 m lookback at every step, folded into 5 groups. */
  @Benchmark
  public Value sumByJob() {
    return range(sumByJob);
  }
}
