package dev.strata.benchmarks.tsdb;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.TsdbStats;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Head ingestion, shaped exactly like {@code promtool tsdb bench write} so the two can be compared
 * in one run: label sets from a file of JSON objects (one per line), shards of 1000 series, each
 * shard appending 100 scrapes (one commit per scrape) per round, 30 s between scrapes, values
 * growing by 1000, WAL on, compaction off.
 *
 * <p>{@code java @jvm.options -cp benchmarks.jar dev.strata.benchmarks.tsdb.IngestBenchmark
 * --metrics=N --scrapes=M --threads=T --out=DIR FILE}
 */
public final class IngestBenchmark {
  static final long TIME_DELTA = 30_000;

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int metrics = 10_000;
    int scrapes = 3000;
    int threads = 1;
    Path out = null;
    Path file = null;
    boolean compress = false;
    for (String a : args) {
      if (a.startsWith("--metrics=")) {
        metrics = Integer.parseInt(a.substring(10));
      } else if (a.startsWith("--scrapes=")) {
        scrapes = Integer.parseInt(a.substring(10));
      } else if (a.startsWith("--threads=")) {
        threads = Integer.parseInt(a.substring(10));
      } else if (a.startsWith("--out=")) {
        out = Path.of(a.substring(6));
      } else if (a.equals("--wal-compression")) {
        compress = true;
      } else {
        file = Path.of(a);
      }
    }
    if (file == null || out == null) {
      throw new IllegalArgumentException("usage: --metrics=N --scrapes=M --threads=T --out=DIR FILE");
    }
    List<Labels> series = readLabels(file, metrics);
    deleteTree(out);
    TsdbOptions options = TsdbOptions.builder().automaticCompaction(false).walCompression(compress).build();
    long total;
    double seconds;
    TsdbStats stats;
    try (Tsdb db = Tsdb.open(out.resolve("storage"), options)) {
      long start = System.nanoTime();
      total = ingest(db, series, scrapes, threads);
      seconds = (System.nanoTime() - start) / 1e9;
      stats = db.stats();
    }
    System.out.printf("series: %d, scrapes: %d, threads: %d, WAL compression: %s%n",
        series.size(), scrapes, threads, compress);
    System.out.printf(" > total samples: %d%n", total);
    System.out.printf(" > samples/sec: %.0f%n", total / seconds);
    System.out.printf(" > seconds: %.2f%n", seconds);
    System.out.printf(" > WAL bytes: %d (%.2f bytes/sample)%n", stats.walBytes(), (double) stats.walBytes() / total);
    System.out.printf(" > head: %d series, %d chunks, off-heap %d bytes in slots (%d reserved), heap %d bytes%n",
        stats.headSeries(), stats.headChunks(), stats.headOffHeapChunkBytes(),
        stats.headOffHeapReservedBytes(), stats.headHeapBytes());
    System.out.printf(" > bytes per series: %.0f (of which bookkeeping %.0f, chunk bytes %.0f)%n",
        stats.bytesPerSeries(), stats.overheadBytesPerSeries(),
        (double) stats.headOffHeapChunkBytes() / Math.max(1, stats.headSeries()));
  }

  static long ingest(Tsdb db, List<Labels> series, int scrapes, int threads) throws Exception {
    AtomicLong total = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int i = 0; i < scrapes; i += 100) {
        List<Future<?>> shards = new ArrayList<>();
        long base = TIME_DELTA * i;
        for (int from = 0; from < series.size(); from += 1000) {
          List<Labels> shard = series.subList(from, Math.min(from + 1000, series.size()));
          shards.add(pool.submit(() -> total.addAndGet(shard(db, shard, 100, base, shardState(shard)))));
        }
        for (Future<?> f : shards) {
          f.get();
        }
      }
    } finally {
      pool.shutdown();
    }
    return total.get();
  }

  // Per-shard state that promtool keeps across rounds: series references and values.
  private static final java.util.Map<List<Labels>, long[][]> STATE = new java.util.concurrent.ConcurrentHashMap<>();

  private static long[][] shardState(List<Labels> shard) {
    return STATE.computeIfAbsent(shard, s -> new long[][] {new long[s.size()], filled(s.size())});
  }

  private static long[] filled(int n) {
    long[] v = new long[n];
    java.util.Arrays.fill(v, 123_456_789L);
    return v;
  }

  private static long shard(Tsdb db, List<Labels> shard, int scrapes, long base, long[][] state) {
    long[] refs = state[0];
    long[] values = state[1];
    long ts = base;
    long n = 0;
    Appender app = db.appender();
    for (int i = 0; i < scrapes; i++) {
      ts += TIME_DELTA;
      for (int s = 0; s < refs.length; s++) {
        values[s] += 1000;
        if (refs[s] == 0) {
          refs[s] = app.append(shard.get(s), ts, values[s]);
        } else {
          app.append(refs[s], ts, values[s]);
        }
        n++;
      }
      app.commit();
    }
    return n;
  }

  /** Reads label sets the way promtool does: {@code {"a":"b","c":"d"}} per line, duplicates skipped. */
  static List<Labels> readLabels(Path file, int n) throws IOException {
    List<Labels> out = new ArrayList<>();
    Set<Labels> seen = new HashSet<>();
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String line;
      while (out.size() < n && (line = r.readLine()) != null) {
        String s = line.replace("\"", "").replace("{", "").replace("}", "");
        TreeMap<String, String> m = new TreeMap<>();
        for (String pair : s.split(",")) {
          int colon = pair.indexOf(':');
          m.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        Labels l = Labels.fromMap(m);
        if (seen.add(l)) {
          out.add(l);
        }
      }
    }
    return out;
  }

  static void deleteTree(Path p) throws IOException {
    if (Files.exists(p)) {
      try (var walk = Files.walk(p)) {
        for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(x);
        }
      }
    }
  }
}
