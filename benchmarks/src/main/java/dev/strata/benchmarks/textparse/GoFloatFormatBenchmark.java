package dev.strata.benchmarks.textparse;

import dev.strata.benchmarks.chunkenc.XorCodecBenchmark;
import dev.strata.tsdb.textparse.GoFloatFormat;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sample value printing speed in ns/value, as {@code strata tsdb dump} does it: Go's {@code %g}
 * from {@link GoFloatFormat} against Java's own {@code StringBuilder.append(double)} as the
 * baseline (different text, and before JDK 19 not always the shortest, but the cost a Java program
 * would otherwise pay).
 *
 * <p>{@code realistic}: the XOR codec benchmark's mix of counters, gauge random walks, constants
 * and 3-decimal ratios. {@code random}: random doubles, mostly 16 or 17 digits with an exponent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(GoFloatFormatBenchmark.VALUES)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(1)
public class GoFloatFormatBenchmark {
  /** A whole number of the codec benchmark's 120-sample chunks. */
  static final int VALUES = 120 * 64;

  @Param({"realistic", "random"})
  public String data;

  double[] values = new double[VALUES];
  StringBuilder out = new StringBuilder(VALUES * 25);

  @Setup(Level.Trial)
  public void setUp() {
    XorCodecBenchmark.fill(data, new long[VALUES], values);
  }

  /** Appending to one reused builder, as a dump writing lines does. */
  @Benchmark
  public int appendStrata() {
    StringBuilder b = out;
    b.setLength(0);
    for (double v : values) {
      GoFloatFormat.append(b, v).append('\n');
    }
    return b.length();
  }

  @Benchmark
  public int appendBaseline() {
    StringBuilder b = out;
    b.setLength(0);
    for (double v : values) {
      b.append(v).append('\n');
    }
    return b.length();
  }

  /** A new String per value. */
  @Benchmark
  public int formatStrata() {
    int chars = 0;
    for (double v : values) {
      chars += GoFloatFormat.format(v).length();
    }
    return chars;
  }

  @Benchmark
  public int formatBaseline() {
    int chars = 0;
    for (double v : values) {
      chars += Double.toString(v).length();
    }
    return chars;
  }
}
