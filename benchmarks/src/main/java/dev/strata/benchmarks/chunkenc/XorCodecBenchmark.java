package dev.strata.benchmarks.chunkenc;

import dev.strata.examples.data.SyntheticSeries;
import dev.strata.examples.data.SyntheticSeries.Kind;
import dev.strata.tsdb.chunkenc.ArenaChunkBuffer;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.memory.SlabArena;
import fi.iki.yak.ts.compression.gorilla.GorillaCompressor;
import fi.iki.yak.ts.compression.gorilla.GorillaDecompressor;
import fi.iki.yak.ts.compression.gorilla.LongArrayInput;
import fi.iki.yak.ts.compression.gorilla.LongArrayOutput;
import fi.iki.yak.ts.compression.gorilla.Pair;
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
 * XOR chunk encode and decode speed in ns/sample, Strata against an independent Java Gorilla
 * implementation (fi.iki.yak compression-gorilla) on the same samples, 120 samples per chunk as
 * in a Prometheus head.
 *
 * <p>{@code realistic}: 15 s scrapes with jitter as Prometheus 2.42 stores it (see {@link
 * SyntheticSeries}), round-robin over counters, gauge random walks, constants and 3-decimal ratios.
 * {@code random}: random doubles with raw millisecond jitter on every timestamp.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(XorCodecBenchmark.SAMPLES)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(1)
public class XorCodecBenchmark {
  static final int CHUNKS = 512;
  static final int PER_CHUNK = 120;
  static final int SAMPLES = CHUNKS * PER_CHUNK;

  @Param({"realistic", "random"})
  public String data;

  long[] ts = new long[SAMPLES];
  double[] values = new double[SAMPLES];
  byte[][] strataChunks = new byte[CHUNKS][];
  long[][] baselineChunks = new long[CHUNKS][];

  HeapChunkBuffer heapBuffer;
  XorChunkAppender appender;
  XorChunkIterator iterator;
  SlabArena arena;
  ArenaChunkBuffer arenaBuffer;

  @Setup(Level.Trial)
  public void setUp() {
    fill(data, ts, values);
    heapBuffer = new HeapChunkBuffer(4096);
    appender = new XorChunkAppender();
    iterator = new XorChunkIterator();
    arena = new SlabArena();
    arenaBuffer = new ArenaChunkBuffer(arena, 256);
    arenaBuffer.release();
    for (int c = 0; c < CHUNKS; c++) {
      XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
      LongArrayOutput out = new LongArrayOutput();
      GorillaCompressor gorilla = new GorillaCompressor(ts[c * PER_CHUNK], out);
      for (int i = c * PER_CHUNK; i < (c + 1) * PER_CHUNK; i++) {
        app.append(ts[i], values[i]);
        gorilla.addValue(ts[i], values[i]);
      }
      gorilla.close();
      strataChunks[c] = app.buffer().toByteArray(app.byteLength());
      baselineChunks[c] = out.getLongArray();
    }
  }

  /** Fills the arrays with the named data set, chunk by chunk. */
  public static void fill(String data, long[] ts, double[] values) {
    Kind[] kinds =
        "random".equals(data) ? new Kind[] {Kind.RANDOM} : SyntheticSeries.realisticKinds();
    long[] chunkTs = new long[PER_CHUNK];
    double[] chunkValues = new double[PER_CHUNK];
    for (int c = 0; c < ts.length / PER_CHUNK; c++) {
      SyntheticSeries.fill(kinds[c % kinds.length], c, 1_700_000_000_000L, chunkTs, chunkValues);
      System.arraycopy(chunkTs, 0, ts, c * PER_CHUNK, PER_CHUNK);
      System.arraycopy(chunkValues, 0, values, c * PER_CHUNK, PER_CHUNK);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
  }

  @Benchmark
  public int encodeStrata() {
    int bytes = 0;
    for (int c = 0; c < CHUNKS; c++) {
      XorChunkAppender app = appender.start(heapBuffer);
      for (int i = c * PER_CHUNK, end = i + PER_CHUNK; i < end; i++) {
        app.append(ts[i], values[i]);
      }
      bytes += app.byteLength();
    }
    return bytes;
  }

  @Benchmark
  public int encodeStrataOffHeap() {
    int bytes = 0;
    for (int c = 0; c < CHUNKS; c++) {
      ArenaChunkBuffer buf = arenaBuffer.allocate(256);
      XorChunkAppender app = appender.start(buf);
      for (int i = c * PER_CHUNK, end = i + PER_CHUNK; i < end; i++) {
        app.append(ts[i], values[i]);
      }
      bytes += app.byteLength();
      buf.release();
    }
    return bytes;
  }

  @Benchmark
  public int encodeBaseline() {
    int words = 0;
    for (int c = 0; c < CHUNKS; c++) {
      LongArrayOutput out = new LongArrayOutput();
      GorillaCompressor gorilla = new GorillaCompressor(ts[c * PER_CHUNK], out);
      for (int i = c * PER_CHUNK, end = i + PER_CHUNK; i < end; i++) {
        gorilla.addValue(ts[i], values[i]);
      }
      gorilla.close();
      words += out.getLongArray().length;
    }
    return words;
  }

  @Benchmark
  public long decodeStrata() {
    long sum = 0;
    XorChunkIterator it = iterator;
    for (byte[] chunk : strataChunks) {
      it.reset(chunk, 0, chunk.length);
      while (it.next()) {
        sum += it.atT() + it.atValueBits();
      }
    }
    return sum;
  }

  @Benchmark
  public long decodeBaseline() {
    long sum = 0;
    for (long[] chunk : baselineChunks) {
      GorillaDecompressor d = new GorillaDecompressor(new LongArrayInput(chunk));
      Pair p;
      while ((p = d.readPair()) != null) {
        sum += p.getTimestamp() + p.getLongValue();
      }
    }
    return sum;
  }
}
