package dev.strata.tsdb.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import dev.strata.tsdb.wal.WalFormat;
import dev.strata.tsdb.wal.WalWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An uncompressed Strata WAL is a Prometheus WAL: promtool loads it into its head and dumps
 * exactly the samples that were logged.
 */
@Interop
class WalPromtoolInteropTest {

  @TempDir Path dataDir;

  @Test
  void promtoolReplaysOurLog() throws Exception {
    Random rnd = new Random(11);
    int seriesCount = 40;
    Labels[] labels = new Labels[seriesCount];
    long[] refs = new long[seriesCount];
    for (int i = 0; i < seriesCount; i++) {
      labels[i] = Labels.of("__name__", "wal_metric_" + (i % 4), "instance", "host-" + i, "zone", i % 2 == 0 ? "a" : "b");
      refs[i] = 1000 + i;
    }
    // expected lines per series, in the dump's order (series by labels, then time)
    TreeMap<Labels, List<String>> expected = new TreeMap<>();
    long t0 = 1_700_000_000_000L;
    try (WalWriter wal = WalWriter.open(dataDir.resolve("wal"), WalFormat.DEFAULT_SEGMENT_SIZE, false)) {
      ByteSink rec = new ByteSink();
      WalRecords.encodeSeries(rec, refs, labels, seriesCount);
      wal.log(rec.array(), 0, rec.length());
      SampleBatch batch = new SampleBatch();
      for (int scrape = 0; scrape < 300; scrape++) {
        batch.clear();
        long t = t0 + scrape * 15_000L + rnd.nextInt(3);
        for (int i = 0; i < seriesCount; i++) {
          double v = rnd.nextInt(1000) / 4.0;
          batch.add(refs[i], t, Double.doubleToRawLongBits(v));
          expected.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(t + " " + v);
        }
        rec.clear();
        WalRecords.encodeSamples(rec, batch);
        wal.log(rec.array(), 0, rec.length());
      }
    }
    Promtool.Result r = Promtool.run(dataDir, "tsdb", "dump", dataDir.toString()).assertSuccess();
    List<String> want = new ArrayList<>();
    expected.forEach((l, samples) -> samples.forEach(s -> want.add(l + " " + s)));
    List<String> got = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      // "{labels} value timestamp": normalise the value through a double for comparison.
      int close = line.lastIndexOf('}');
      String[] rest = line.substring(close + 2).split(" ");
      got.add(line.substring(0, close + 1) + " " + rest[1] + " " + Double.parseDouble(rest[0]));
    }
    assertEquals(want.size(), got.size());
    assertEquals(want, got);
  }
}
