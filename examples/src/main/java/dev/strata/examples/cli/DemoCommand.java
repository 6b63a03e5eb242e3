package dev.strata.examples.cli;

import dev.strata.examples.data.SyntheticSeries;
import dev.strata.examples.data.SyntheticSeries.Kind;
import dev.strata.tsdb.chunkenc.ArenaChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.memory.SlabArena;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata demo}: encodes a few hours of realistic synthetic series into off-heap XOR chunks,
 * decodes them again, checks every sample, and prints compression and speed per kind of series.
 */
@Command(
    name = "demo",
    description = "Encode hours of synthetic series into off-heap XOR chunks and report size and speed.")
final class DemoCommand implements Callable<Integer> {

  /** Prometheus cuts head chunks at about 120 samples; do the same. */
  private static final int SAMPLES_PER_CHUNK = 120;

  @Option(names = "--series", defaultValue = "2000", description = "Series per kind (default ${DEFAULT-VALUE}).")
  int seriesPerKind;

  @Option(names = "--hours", defaultValue = "6", description = "Hours of 15 s scrapes per series (default ${DEFAULT-VALUE}).")
  int hours;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    int samplesPerSeries = (int) (hours * 3_600_000L / SyntheticSeries.SCRAPE_INTERVAL_MS);
    out.printf(
        "Strata demo: %d series x %d h of 15 s scrapes (%d samples per series), off-heap XOR chunks%n%n",
        seriesPerKind * SyntheticSeries.realisticKinds().length, hours, samplesPerSeries);
    out.printf("%-10s %12s %14s %14s %14s%n", "kind", "samples", "bytes/sample", "encode ns/smp", "decode ns/smp");

    long totalSamples = 0;
    long totalBytes = 0;
    Kind[] kinds = {Kind.COUNTER, Kind.GAUGE, Kind.CONSTANT, Kind.RATIO, Kind.RANDOM};
    for (Kind kind : kinds) {
      KindResult r = run(kind, samplesPerSeries);
      out.printf(
          "%-10s %12d %14.3f %14.1f %14.1f%n",
          kind.name().toLowerCase(), r.samples, (double) r.bytes / r.samples,
          (double) r.encodeNanos / r.samples, (double) r.decodeNanos / r.samples);
      if (kind != Kind.RANDOM) {
        totalSamples += r.samples;
        totalBytes += r.bytes;
      }
    }
    out.printf(
        "%nrealistic mix: %.3f bytes/sample (raw samples are 16 bytes: %.1fx smaller)%n",
        (double) totalBytes / totalSamples, 16.0 * totalSamples / totalBytes);
    out.println("every decoded sample matched its input bit for bit");
    out.println("(timings include warm-up; `benchmarks/` has the JMH figures)");
    return 0;
  }

  private record KindResult(long samples, long bytes, long encodeNanos, long decodeNanos) {}

  private KindResult run(Kind kind, int samplesPerSeries) {
    long[] ts = new long[samplesPerSeries];
    double[] vs = new double[samplesPerSeries];
    int chunksPerSeries = (samplesPerSeries + SAMPLES_PER_CHUNK - 1) / SAMPLES_PER_CHUNK;
    long[] handles = new long[chunksPerSeries];
    int[] lengths = new int[chunksPerSeries];
    XorChunkIterator it = new XorChunkIterator();
    long samples = 0;
    long bytes = 0;
    long encodeNanos = 0;
    long decodeNanos = 0;
    try (SlabArena arena = new SlabArena()) {
      for (int s = 0; s < seriesPerKind; s++) {
        SyntheticSeries.fill(kind, 31L * s + kind.ordinal(), 1_700_000_000_000L, ts, vs);

        long start = System.nanoTime();
        for (int c = 0; c < chunksPerSeries; c++) {
          ArenaChunkBuffer buf = new ArenaChunkBuffer(arena, 256);
          XorChunkAppender app = XorChunkAppender.create(buf);
          int from = c * SAMPLES_PER_CHUNK;
          int to = Math.min(from + SAMPLES_PER_CHUNK, samplesPerSeries);
          for (int i = from; i < to; i++) {
            app.append(ts[i], vs[i]);
          }
          buf.trimTo(app.byteLength());
          handles[c] = buf.handle();
          lengths[c] = app.byteLength();
        }
        encodeNanos += System.nanoTime() - start;

        start = System.nanoTime();
        int i = 0;
        boolean match = true;
        for (int c = 0; c < chunksPerSeries; c++) {
          it.reset(new ArenaChunkBuffer(arena, handles[c]), lengths[c]);
          while (it.next()) {
            match &= it.atT() == ts[i]
                && it.atValueBits() == Double.doubleToRawLongBits(vs[i]);
            i++;
          }
        }
        decodeNanos += System.nanoTime() - start;
        if (!match || i != samplesPerSeries) {
          throw new IllegalStateException("decoded samples differ from the input for " + kind);
        }

        for (int c = 0; c < chunksPerSeries; c++) {
          bytes += lengths[c];
          arena.free(handles[c]);
        }
        samples += samplesPerSeries;
      }
    }
    return new KindResult(samples, bytes, encodeNanos, decodeNanos);
  }
}
