package dev.strata.downsample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downsampled blocks against promtool 2.42. */
@Interop
class DownsampleInteropTest {
  @TempDir Path dir;

  private static List<String[]> listRows(String stdout) {
    List<String[]> rows = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (!line.isBlank() && !line.startsWith("BLOCK ULID")) {
        rows.add(line.trim().split("\\s+"));
      }
    }
    return rows;
  }

  @Test
  void promtoolListsAndAnalyzesDownsampledBlocksAndDumpStopsSilently() throws Exception {
    long[] t = RawDownsampleGoldenTest.fortyHoursTimes();
    double[] v = RawDownsampleGoldenTest.indexValues(t.length);
    Path rawDir = dir.resolve("raw");
    BlockMeta raw =
        new RawBlockBuilder()
            .samples(Labels.of("__name__", "a", "i", "1"), t, v, 120)
            .samples(Labels.of("__name__", "b"), t, v, 120)
            .write(rawDir, 0, 144_000_000);
    Path out = dir.resolve("downsampled");
    BlockMeta five;
    BlockMeta hour;
    try (Block b = Block.open(BlockDirectories.path(rawDir, raw.ulid()))) {
      five = Downsampler.downsample(b, Resolutions.FIVE_MINUTES, out);
    }
    try (Block b = Block.open(BlockDirectories.path(out, five.ulid()))) {
      hour = Downsampler.downsample(b, Resolutions.ONE_HOUR, out);
    }

    // list opens every block (meta, index, chunk segment headers, tombstones) and prints meta.
    List<String[]> rows = listRows(Promtool.run(dir, "tsdb", "list", out.toString()).assertSuccess().stdout());
    assertEquals(2, rows.size());
    Map<String, String[]> byUlid = new TreeMap<>();
    for (String[] r : rows) {
      byUlid.put(r[0], r);
    }
    // ULID, min, max, duration, samples (windows), chunks, series, size.
    String[] f = byUlid.get(five.ulid().toString());
    assertEquals(List.of("0", "144000000", "40h0m0s", "960", "8", "2"), List.of(f).subList(1, 7));
    String[] h = byUlid.get(hour.ulid().toString());
    assertEquals(List.of("0", "144000000", "40h0m0s", "80", "2", "2"), List.of(h).subList(1, 7));

    // analyze reads the index only; --extended also loads every chunk, and 2.42's chunk pool
    // knows no encoding 0xff.
    Promtool.Result analyze = Promtool.run(dir, "tsdb", "analyze", out.toString(), five.ulid().toString());
    analyze.assertSuccess();
    assertTrue(analyze.stdout().contains("Series: 2"), analyze.stdout());
    Promtool.Result extended =
        Promtool.run(dir, "tsdb", "analyze", "--extended", out.toString(), five.ulid().toString());
    assertTrue(extended.exitCode() != 0, extended.stdout());
    assertTrue(extended.stderr().contains("invalid chunk encoding"), extended.stderr());

    // dump cannot read encoding 0xff: the chunk pool refuses it, the series iterator fails, and
    // promtool 2.42's dumpSamples then returns the series set's (nil) error instead of the
    // iterator's, so it prints nothing and exits 0.
    Files.createDirectories(out.resolve("wal"));
    Promtool.Result dump = Promtool.run(dir, "tsdb", "dump", out.toString());
    assertEquals(0, dump.exitCode(), dump.stderr());
    assertEquals("", dump.stdout());

    // Strata reading the block as plain samples refuses clearly instead of decoding garbage; read
    // through an aggregation it yields the windows.
    try (Block b = Block.open(BlockDirectories.path(out, five.ulid()));
        MergeQuerier q = new MergeQuerier(List.of(b.reader()), 0, Long.MAX_VALUE)) {
      SeriesSet set = q.select(LabelMatcher.equal("__name__", "b"));
      assertTrue(set.next());
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, () -> set.at().samples().next());
      assertTrue(e.getMessage().contains("has encoding aggregate"), e.getMessage());
    }
    try (Block b = Block.open(BlockDirectories.path(out, hour.ulid()));
        MergeQuerier q = new MergeQuerier(List.of(DownsampledBlockReader.open(b, Aggregation.COUNT)), 0, Long.MAX_VALUE)) {
      SeriesSet set = q.select(LabelMatcher.equal("__name__", "b"));
      assertTrue(set.next());
      SampleIterator it = set.at().samples();
      int n = 0;
      while (it.next()) {
        assertEquals(240, it.v());
        n++;
      }
      assertEquals(40, n);
    }
  }

  @Test
  void promtoolWrittenRawBlockDownsamplesToItsOwnDump() throws Exception {
    // A raw block written by promtool itself; its dump is the oracle for the 5m windows.
    StringBuilder om = new StringBuilder("# TYPE http_requests counter\n");
    double value = 0;
    for (int i = 0; i < 480; i++) { // 2 h at 15 s
      value = i == 300 ? 3 : value + (i % 7);
      om.append("http_requests_total{code=\"200\"} ").append(value).append(' ').append(i * 15).append('\n');
      om.append("http_requests_total{code=\"500\"} ").append(i % 11).append(' ').append(i * 15).append('\n');
    }
    om.append("# EOF\n");
    Path in = dir.resolve("in.om");
    Files.writeString(in, om, StandardCharsets.UTF_8);
    Path rawDir = dir.resolve("raw");
    Promtool.run(dir, "tsdb", "create-blocks-from", "openmetrics", in.toString(), rawDir.toString())
        .assertSuccess();
    Files.createDirectories(rawDir.resolve("wal"));
    String dump = Promtool.run(dir, "tsdb", "dump", rawDir.toString()).assertSuccess().stdout();
    TreeMap<String, TreeMap<Long, double[]>> expected = new TreeMap<>();
    for (String line : dump.split("\n")) {
      int brace = line.indexOf('}');
      String[] rest = line.substring(brace + 2).split(" ");
      long ts = Long.parseLong(rest[1]);
      double[] s = expected.computeIfAbsent(line.substring(0, brace + 1), k -> new TreeMap<>())
          .computeIfAbsent(Windows.windowEnd(ts, Resolutions.FIVE_MINUTES), k -> new double[2]);
      s[0]++;
      s[1] += Double.parseDouble(rest[0]);
    }
    assertEquals(2, expected.size());

    Path out = dir.resolve("five");
    BlockMeta five;
    try (Block b = Block.open(BlockDirectories.list(rawDir).get(0).path())) {
      five = Downsampler.downsample(b, Resolutions.FIVE_MINUTES, out);
    }
    TreeMap<String, TreeMap<Long, double[]>> actual = new TreeMap<>();
    for (Aggregation a : List.of(Aggregation.COUNT, Aggregation.SUM)) {
      try (Block b = Block.open(BlockDirectories.path(out, five.ulid()));
          MergeQuerier q = new MergeQuerier(List.of(DownsampledBlockReader.open(b, a)), 0, Long.MAX_VALUE)) {
        SeriesSet set = q.select(LabelMatcher.equal("__name__", "http_requests_total"));
        while (set.next()) {
          SampleIterator it = set.at().samples();
          while (it.next()) {
            actual.computeIfAbsent(set.at().labels().toString(), k -> new TreeMap<>())
                .computeIfAbsent(Windows.windowEnd(it.t(), Resolutions.FIVE_MINUTES), k -> new double[2])
                [a == Aggregation.COUNT ? 0 : 1] = it.v();
          }
        }
      }
    }
    assertEquals(expected.keySet(), actual.keySet());
    for (String series : expected.keySet()) {
      assertEquals(expected.get(series).keySet(), actual.get(series).keySet(), series);
      for (Long w : expected.get(series).keySet()) {
        assertEquals(List.of(expected.get(series).get(w)[0], expected.get(series).get(w)[1]),
            List.of(actual.get(series).get(w)[0], actual.get(series).get(w)[1]), series + " " + w);
      }
    }
    List<String[]> rows = listRows(Promtool.run(dir, "tsdb", "list", out.toString()).assertSuccess().stdout());
    assertEquals(five.ulid().toString(), rows.get(0)[0]);
    assertEquals(String.valueOf(2 * 24), rows.get(0)[4], "two series of 24 windows");
  }
}
