package dev.strata.tsdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's memory does not grow with the series: a million series, whose series section
 * alone is larger than the heap, are written by a JVM with a 24 MiB heap.
 */
class IndexWriterMemoryTest {
  static final int METRICS = 50;
  static final int INSTANCES = 10_000;
  static final String HEAP = "-Xmx24m";

  @TempDir Path dir;

  /** Writes the index of {@link #METRICS} x {@link #INSTANCES} x 2 series to {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    try (IndexWriter w = IndexWriter.create(Path.of(args[0]), 1 << 20)) {
      List<String> symbols = new ArrayList<>(List.of("__name__", "instance", "shard", "x", "y"));
      for (int i = 0; i < INSTANCES; i++) {
        symbols.add(instance(i));
      }
      for (int i = 0; i < METRICS; i++) {
        symbols.add(metric(i));
      }
      symbols.sort(dev.strata.tsdb.labels.Utf8Order.COMPARATOR);
      for (String s : symbols) {
        w.addSymbol(s);
      }
      ChunkMetas chunks = new ChunkMetas();
      long n = 0;
      for (int m = 0; m < METRICS; m++) {
        for (int i = 0; i < INSTANCES; i++) {
          for (String shard : new String[] {"x", "y"}) {
            long t = 1_700_000_000_000L + n;
            chunks.clear().add(t, t + 3_600_000, 8 + 100 * n).add(t + 3_600_001, t + 7_199_999, 58 + 100 * n);
            w.addSeries(Labels.of("__name__", metric(m), "instance", instance(i), "shard", shard), chunks);
            n++;
          }
        }
      }
    }
  }

  static String metric(int m) {
    return "metric_" + (m < 10 ? "0" : "") + m;
  }

  static String instance(int i) {
    String s = Integer.toString(i);
    return "host-" + "0".repeat(5 - s.length()) + s;
  }

  @Test
  void writesAMillionSeriesInASmallHeap() throws Exception {
    Path file = dir.resolve("index");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(
            java.toString(), HEAP, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            IndexWriterMemoryTest.class.getName(), file.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.txt").toFile())
        .start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "writer timed out");
    assertEquals(0, p.exitValue(), () -> "writer failed: " + read(dir.resolve("out.txt")));
    long series = 2L * METRICS * INSTANCES;
    assertTrue(Files.size(file) > 24L << 20, "the index is larger than the writer's heap");
    try (IndexReader r = IndexReader.open(file)) {
      assertEquals(series, r.seriesCount());
      assertEquals(series, r.verifyAll());
      // The reader keeps samples of the tables, not the strings or lists.
      assertTrue(r.heapBytes() < 1 << 20, "reader heap " + r.heapBytes());
      assertEquals(INSTANCES, r.labelValueCount("instance"));
      assertEquals(METRICS, r.labelValues("__name__").size());
      assertEquals(2 * INSTANCES, Postings.count(r.postingsForMatchers(
          LabelMatcher.equal("__name__", metric(7)))));
      assertEquals(METRICS, Postings.count(r.postingsForMatchers(
          LabelMatcher.equal("instance", instance(123)), LabelMatcher.notEqual("shard", "y"))));
      ChunkMetas chunks = new ChunkMetas();
      Postings last = r.postings("instance", instance(INSTANCES - 1));
      long ref = -1;
      while (last.next()) {
        ref = last.at();
      }
      assertEquals(Labels.of("__name__", metric(METRICS - 1), "instance", instance(INSTANCES - 1),
          "shard", "y"), r.series(ref, chunks));
      long n = series - 1;
      assertEquals(1_700_000_000_000L + n, chunks.minTime(0));
      assertEquals(58 + 100 * n, chunks.ref(1));
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
