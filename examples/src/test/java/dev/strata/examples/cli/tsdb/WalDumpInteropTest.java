package dev.strata.examples.cli.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCli;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata tsdb dump} on a data directory whose head lives in a WAL written by Strata prints
 * what promtool prints: the head alone (in promtool's unsorted order where promtool uses it), and
 * blocks and head together, where the head keeps only samples after the last block.
 */
@Interop
class WalDumpInteropTest {
  static final long HOUR = 3_600_000L;
  static final long START = 1_699_996_000_000L;

  @TempDir Path tmp;

  /** Appends the fixture's samples from {@code from} on, series in shuffled order, to a WAL. */
  static void writeWal(Path dataDir, OpenMetricsFixture fixture, long from) throws Exception {
    List<OpenMetricsFixture.Series> series = new ArrayList<>(fixture.series());
    Collections.shuffle(series, new Random(3)); // creation order differs from label order
    try (Head head = Head.open(dataDir.resolve("wal"),
        new HeadOptions(2 * HOUR, true, 1 << 20, false, false), Long.MIN_VALUE)) {
      Appender app = head.appender();
      int[] next = new int[series.size()];
      long begin = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      for (OpenMetricsFixture.Series x : series) {
        for (long t : x.t()) {
          if (t >= from) {
            begin = Math.min(begin, t);
            end = Math.max(end, t);
          }
        }
      }
      int pending = 0;
      // Scrape rounds of 15 s: every series sends what it has up to the round's end, so the head's
      // appendable window (an hour behind its newest sample) never overtakes a slow series.
      for (long round = begin + 15_000; round - 15_000 <= end; round += 15_000) {
        for (int s = 0; s < series.size(); s++) {
          OpenMetricsFixture.Series x = series.get(s);
          while (next[s] < x.t().length && x.t()[next[s]] < from) {
            next[s]++;
          }
          while (next[s] < x.t().length && x.t()[next[s]] < round) {
            app.append(x.labels(), x.t()[next[s]], x.v()[next[s]]);
            next[s]++;
            if (++pending == 1000) {
              app.commit();
              pending = 0;
            }
          }
        }
      }
      app.commit();
    }
  }

  private void assertSameDump(Path dir, String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("tsdb", "dump"));
    args.addAll(List.of(flags));
    args.add(dir.toString());
    String[] a = args.toArray(new String[0]);
    String theirs = Promtool.run(tmp, a).assertSuccess().stdout();
    StrataCli.Result ours = StrataCli.run(a).assertSuccess();
    assertEquals(theirs, ours.stdout(), String.join(" ", args));
    assertEquals("", ours.stderr());
  }

  @Test
  void dumpsAHeadWrittenByStrata() throws Exception {
    OpenMetricsFixture fixture = OpenMetricsFixture.realistic(5, START, 3 * HOUR);
    Path dir = tmp.resolve("wal-only");
    writeWal(dir, fixture, Long.MIN_VALUE);
    assertSameDump(dir);
    assertSameDump(dir, "--match={job=\"api\"}");
    // A time bound leaves the head the only source: promtool lists series in creation order.
    String[] bounded = {"--max-time=" + (START + HOUR)};
    assertSameDump(dir, bounded);
    String refOrder = StrataCli.run("tsdb", "dump", bounded[0], dir.toString()).stdout();
    List<String> sorted = new ArrayList<>(refOrder.lines().toList());
    assertNotEquals(sorted, refOrder.lines().sorted().toList(), "not in label order");
    assertSameDump(dir, "--min-time=" + (START + HOUR), "--match={__name__=~\"app_.*|http_.*\"}");
    assertSameDump(dir, "--min-time=" + (START + HOUR), "--max-time=" + (START + 2 * HOUR));
    assertSameDump(dir, "--max-time=" + (START - 1));
    assertEquals(fixture.sampleCount(),
        StrataCli.run("tsdb", "dump", dir.toString()).stdout().lines().count());
  }

  @Test
  void failsOnADamagedWalAsPromtoolDoes() throws Exception {
    OpenMetricsFixture fixture = OpenMetricsFixture.realistic(5, START, HOUR);
    Path dir = tmp.resolve("damaged");
    writeWal(dir, fixture, Long.MIN_VALUE);
    Path segment = dir.resolve("wal/00000000");
    byte[] bytes = Files.readAllBytes(segment);
    bytes[100] ^= 0x5a; // inside the first record: its CRC no longer matches
    Files.write(segment, bytes);
    Promtool.Result theirs = Promtool.run(tmp, "tsdb", "dump", dir.toString());
    StrataCli.Result ours = StrataCli.run("tsdb", "dump", dir.toString());
    assertNotEquals(0, theirs.exitCode(), "promtool fails: " + theirs.stdout());
    assertNotEquals(0, ours.exitCode());
    assertEquals("", ours.stdout(), "nothing half-read is printed");
    assertTrue(ours.stderr().startsWith("read WAL: corrupt " + segment), ours.stderr());
    assertEquals(1, ours.stderr().lines().count());
  }

  @Test
  void dumpsBlocksAndHeadTogether() throws Exception {
    // Other values and other irregular timestamps than the blocks': samples the head should have
    // dropped would show.
    OpenMetricsFixture fixture = OpenMetricsFixture.realistic(9, START, 6 * HOUR);
    Path dir = tmp.resolve("blocks-and-wal");
    // Blocks for the first 4 hours, from a second fixture cut at that time.
    OpenMetricsFixture early = OpenMetricsFixture.realistic(6, START, 4 * HOUR);
    Path input = early.write(tmp.resolve("early.om"));
    StrataCli.run("tsdb", "create-blocks-from", "--quiet", "openmetrics", input.toString(),
        dir.toString()).assertSuccess();
    // The WAL overlaps the last block by an hour: the head drops what the blocks hold.
    writeWal(dir, fixture, START + 3 * HOUR);
    assertSameDump(dir);
    assertSameDump(dir, "--match={instance=\"host-3\"}");
    assertSameDump(dir, "--min-time=" + (START + 3 * HOUR + 1));
    assertSameDump(dir, "--max-time=" + (START + 5 * HOUR), "--match={zone=~\".+\"}");
    String all = StrataCli.run("tsdb", "dump", dir.toString()).stdout();
    assertTrue(all.lines().count() > early.sampleCount(), "the head adds samples");
  }
}
