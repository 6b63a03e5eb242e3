package dev.strata.tsdb.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.PrometheusServer;
import dev.strata.tsdb.testing.Promtool;
import dev.strata.tsdb.textparse.GoFloatFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAL written by a real Prometheus 2.42 server (Snappy-compressed, its default) replays into
 * Strata's head with exactly the samples promtool dumps from it.
 */
@Interop
class PrometheusWalInteropTest {
  @TempDir Path tmp;

  @Test
  void strataReplaysPrometheusWal() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    try (PrometheusServer server = PrometheusServer.start(tmp, data, port ->
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n"
            + "      - targets: ['127.0.0.1:" + port + "']\n")) {
      Thread.sleep(12_000); // targets arrive after the discovery reload delay (5 s), then 1 s scrapes
    }
    int snappy = 0;
    for (int seg : WalFormat.segmentIndexes(data.resolve("wal"))) {
      snappy += snappyFragments(Files.readAllBytes(data.resolve("wal").resolve(WalFormat.segmentName(seg))));
    }
    assertTrue(snappy > 0, "Prometheus compressed its WAL records");
    Promtool.Result expected = Promtool.run(tmp, "tsdb", "dump", data.toString()).assertSuccess();
    List<String> ours = new ArrayList<>();
    try (Head head = Head.openReadOnly(data.resolve("wal"), new HeadOptions(7_200_000L, true, 1 << 27, false, false), Long.MIN_VALUE);
        HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      ChunkSeriesCursor c = r.select(Long.MIN_VALUE, Long.MAX_VALUE, LabelMatcher.regex("__name__", ".+"));
      XorChunkIterator it = new XorChunkIterator();
      while (c.next()) {
        for (int i = 0; i < c.chunkCount(); i++) {
          c.decode(i, it);
          while (it.next()) {
            ours.add(c.labels() + " " + GoFloatFormat.format(it.atV()) + " " + it.atT());
          }
        }
      }
    }
    List<String> theirs = List.of(expected.stdout().strip().split("\n"));
    // (series records are usually too small to gain from compression; sample records do)
    assertTrue(theirs.size() > 100, "prometheus scraped itself: " + theirs.size() + " samples");
    assertEquals(theirs, ours);
  }

  // Counts fragments whose header flags Snappy compression, walking the pages.
  private static int snappyFragments(byte[] seg) {
    int count = 0;
    for (int page = 0; page < seg.length; page += WalFormat.PAGE_SIZE) {
      int pos = page;
      int end = Math.min(seg.length, page + WalFormat.PAGE_SIZE);
      while (pos + WalFormat.RECORD_HEADER_SIZE <= end && seg[pos] != 0) {
        if ((seg[pos] & WalFormat.SNAPPY_FLAG) != 0) {
          count++;
        }
        int len = ((seg[pos + 1] & 0xFF) << 8) | (seg[pos + 2] & 0xFF);
        pos += WalFormat.RECORD_HEADER_SIZE + len;
      }
    }
    return count;
  }
}
