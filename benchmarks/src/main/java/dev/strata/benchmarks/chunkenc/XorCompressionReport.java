package dev.strata.benchmarks.chunkenc;

import dev.strata.examples.data.SyntheticSeries;
import dev.strata.examples.data.SyntheticSeries.Kind;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import fi.iki.yak.ts.compression.gorilla.GorillaCompressor;
import fi.iki.yak.ts.compression.gorilla.LongArrayOutput;

/**
 * Bytes per sample of Strata's (= Prometheus's) XOR chunks and of the baseline Gorilla library,
 * per kind of series, 120 samples per chunk. The baseline's size is rounded up to whole 64-bit
 * words per chunk, as it stores them.
 */
public final class XorCompressionReport {
  private static final int CHUNKS = 2000;
  private static final int PER_CHUNK = 120;

  private XorCompressionReport() {}

  public static void main(String[] args) {
    System.out.printf("%-10s %16s %18s%n", "kind", "strata B/sample", "baseline B/sample");
    long[] ts = new long[PER_CHUNK];
    double[] vs = new double[PER_CHUNK];
    for (Kind kind : Kind.values()) {
      long strataBytes = 0;
      long baselineBytes = 0;
      for (int c = 0; c < CHUNKS; c++) {
        SyntheticSeries.fill(kind, c, 1_700_000_000_000L, ts, vs);
        XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
        LongArrayOutput out = new LongArrayOutput();
        GorillaCompressor gorilla = new GorillaCompressor(ts[0], out);
        for (int i = 0; i < PER_CHUNK; i++) {
          app.append(ts[i], vs[i]);
          gorilla.addValue(ts[i], vs[i]);
        }
        gorilla.close();
        strataBytes += app.byteLength();
        baselineBytes += 8L * out.getLongArray().length;
      }
      double samples = (double) CHUNKS * PER_CHUNK;
      System.out.printf(
          "%-10s %16.3f %18.3f%n",
          kind.name().toLowerCase(), strataBytes / samples, baselineBytes / samples);
    }
  }
}
