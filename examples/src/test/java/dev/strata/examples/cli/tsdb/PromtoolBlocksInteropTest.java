package dev.strata.examples.cli.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCli;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On blocks written by promtool itself, {@code strata tsdb dump}, {@code list} and {@code
 * analyze} print what {@code promtool tsdb} prints.
 */
@Interop
class PromtoolBlocksInteropTest {
  static final long START = 1_699_995_612_345L;
  static final long SPAN = 5 * 3_600_000L;

  @TempDir static Path tmp;
  static Path data;
  static OpenMetricsFixture fixture;

  @BeforeAll
  static void backfillWithPromtool() throws Exception {
    if (PrometheusTools.missing()) {
      return; // each test is skipped (or fails, when the tools are required) by @Interop
    }
    fixture = OpenMetricsFixture.realistic(42, START, SPAN);
    Path input = fixture.write(tmp.resolve("input.om"));
    data = tmp.resolve("data");
    Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", input.toString(),
        data.toString()).assertSuccess();
    Files.createDirectories(data.resolve("wal")); // promtool's dump insists on one
  }

  /** Runs the same tool with the same arguments through promtool and Strata; returns both. */
  static String[] both(String... args) throws Exception {
    Promtool.Result theirs = Promtool.run(tmp, args).assertSuccess();
    StrataCli.Result ours = StrataCli.run(args).assertSuccess();
    assertEquals("", ours.stderr(), "strata's stderr");
    return new String[] {theirs.stdout(), ours.stdout()};
  }

  static void assertSameOutput(String... args) throws Exception {
    String[] out = both(args);
    assertEquals(out[0], out[1], String.join(" ", args));
  }

  @Test
  void dumpsTheSameSamples() throws Exception {
    String[] out = both("tsdb", "dump", data.toString());
    assertEquals(out[0], out[1]);
    assertEquals(fixture.sampleCount(), out[1].lines().count(), "every sample once");
    assertEquals(String.join("\n", fixture.dumpLines()) + "\n", out[1], "the input's samples");
  }

  @Test
  void dumpsTheBlocksOfADirectoryWithoutWal() throws Exception {
    Path blocksOnly = tmp.resolve("blocks-only");
    try (var files = Files.walk(data)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = blocksOnly.resolve(data.relativize(p).toString());
        if (!p.startsWith(data.resolve("wal"))) {
          Files.copy(p, target);
        }
      }
    }
    assertTrue(Promtool.run(tmp, "tsdb", "dump", blocksOnly.toString()).exitCode() != 0,
        "promtool fails without wal/");
    StrataCli.Result ours = StrataCli.run("tsdb", "dump", blocksOnly.toString()).assertSuccess();
    assertEquals("no WAL (" + blocksOnly.resolve("wal") + " does not exist): dumping the blocks only\n",
        ours.stderr());
    assertEquals(Promtool.run(tmp, "tsdb", "dump", data.toString()).assertSuccess().stdout(),
        ours.stdout(), "the blocks' samples, as promtool prints them with an empty WAL");
  }

  @Test
  void dumpsTheSameSelections() throws Exception {
    String[] selectors = {
      "{job=\"api\"}",
      "http_requests_total{code=~\"5..\"}",
      "{__name__=~\"app_metric_1.*\",instance!=\"host-1\"}",
      "{zone!~\"z.*\"}",
      "{zone=~\".+\"}",
      "node_temperature_celsius{zone=\"new\\nline\"}",
      "{__name__=\"odd_values\"}",
      "{dim_a=\"x\",dim_n!=\"y\"}",
      "{}",
      "{nope=\"\"}",
    };
    for (String s : selectors) {
      assertSameOutput("tsdb", "dump", "--match=" + s, data.toString());
    }
  }

  @Test
  void dumpsTheSameTimeRanges() throws Exception {
    long mid = START + SPAN / 2;
    String[][] ranges = {
      {"--min-time=" + (mid - 600_000), "--max-time=" + (mid + 600_000)},
      {"--min-time=" + mid},
      {"--max-time=" + mid},
      {"--max-time=" + (START + 7_200_000)},
      {"--min-time=" + (START + SPAN + 1)},
      {"--min-time", Long.toString(START - 1), "--max-time", Long.toString(START)},
      {"--min-time=" + mid, "--max-time=" + (mid - 1)},
    };
    for (String[] r : ranges) {
      List<String> args = new ArrayList<>(List.of("tsdb", "dump"));
      args.addAll(List.of(r));
      args.add("--match={job=\"api\",instance=~\"host-[03]\"}");
      args.add(data.toString());
      assertSameOutput(args.toArray(new String[0]));
    }
  }

  @Test
  void listsTheSameTable() throws Exception {
    String[] out = both("tsdb", "list", data.toString());
    assertEquals(out[0], out[1]);
    assertTrue(out[1].lines().count() >= 4, "several blocks");
    assertSameOutput("tsdb", "list", "-r", data.toString());
    assertSameOutput("tsdb", "list", "--human-readable", data.toString());
  }

  @Test
  void analyzesTheSame() throws Exception {
    List<String> ids = new ArrayList<>();
    ids.add(""); // the last block
    for (String line : both("tsdb", "list", data.toString())[1].lines().skip(1).toList()) {
      ids.add(line.substring(0, 26));
    }
    for (String id : ids) {
      List<String> target = id.isEmpty() ? List.of(data.toString()) : List.of(data.toString(), id);
      AnalyzeReport theirsFull = report(true, "--limit=100000", target);
      AnalyzeReport oursFull = report(false, "--limit=100000", target);
      AnalyzeReport.assertSame(theirsFull, oursFull, theirsFull, oursFull);
      for (String limit : new String[] {"--limit=20", "--limit=3", "--limit=0"}) {
        AnalyzeReport.assertSame(
            report(true, limit, target), report(false, limit, target), theirsFull, oursFull);
      }
      AnalyzeReport.assertSame(report(true, "--extended", target),
          report(false, "--extended", target), theirsFull, oursFull);
    }
  }

  @Test
  void ranksTiesAsGoSortsThem() throws Exception {
    // Thirty metric names with three series each, fourteen label names with two values each:
    // promtool's order of these ties is Go's sort's, and so must Strata's be.
    String[] out = both("tsdb", "analyze", "--limit=100", data.toString());
    AnalyzeReport ours = AnalyzeReport.parse(out[1]);
    AnalyzeReport theirs = AnalyzeReport.parse(out[0]);
    List<String> names = ours.sections().get("Highest cardinality metric names");
    assertTrue(names.stream().filter(l -> l.startsWith("3 app_metric_")).count() >= 13,
        "enough ties to leave insertion sort");
    assertEquals(theirs.sections().get("Highest cardinality metric names"), names);
    assertEquals(theirs.sections().get("Highest cardinality labels"),
        ours.sections().get("Highest cardinality labels"));
    assertEquals(theirs.sections().get("Label names with highest cumulative label value length"),
        ours.sections().get("Label names with highest cumulative label value length"));
  }

  private static AnalyzeReport report(boolean promtool, String flag, List<String> target)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("tsdb", "analyze", flag));
    args.addAll(target);
    String[] a = args.toArray(new String[0]);
    String text = promtool ? Promtool.run(tmp, a).assertSuccess().stdout()
        : StrataCli.run(a).assertSuccess().stdout();
    return AnalyzeReport.parse(text);
  }
}
