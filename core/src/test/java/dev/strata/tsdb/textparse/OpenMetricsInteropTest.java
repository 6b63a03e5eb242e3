package dev.strata.tsdb.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prometheus 2.42 as the oracle: {@code promtool tsdb create-blocks-from openmetrics} followed by
 * {@code promtool tsdb dump} shows which (series, value, timestamp) triples promtool read from an
 * input, printed with Go's float formatting; Strata's parser must yield the same, and must reject
 * what promtool rejects.
 */
@Interop
class OpenMetricsInteropTest {

  private static final long START_MILLIS = 1_700_000_000_000L;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void generatedDocumentsGiveTheSameSamples(long seed) throws Exception {
    Random r = new Random(seed);
    List<Labels> series = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      series.add(randomSeries(r, i));
    }
    long[] next = new long[series.size()];
    java.util.Arrays.fill(next, START_MILLIS);
    StringBuilder text = new StringBuilder();
    for (int n = 0; n < 600; n++) {
      int s = r.nextInt(series.size());
      Labels l = series.get(s);
      switch (r.nextInt(20)) {
        case 0 -> text.append("# HELP ").append(l.metricName()).append(" some \\\"help\\\" \\n\n");
        case 1 -> text.append("# TYPE ").append(l.metricName()).append(" gauge\n");
        case 2 -> text.append("# UNIT ").append(l.metricName()).append(" \n");
        default -> {}
      }
      // Gaps of at least 2 ms keep timestamps increasing after truncation; up to 3 days in all.
      next[s] += 2 + r.nextInt(r.nextBoolean() ? 1000 : 900_000);
      OpenMetricsText.appendSeries(text, l)
          .append(' ')
          .append(OpenMetricsText.valueText(OpenMetricsText.anyDouble(r), r))
          .append(' ')
          .append(secondsText(next[s], r));
      if (l.metricName().endsWith("_total") && r.nextInt(3) == 0) {
        text.append(" # {id=\"").append(r.nextInt(100)).append("\"} 1.5 ").append(next[s] / 1000);
      }
      text.append('\n');
    }
    text.append("# EOF\n");
    assertSameSamples(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void valuesOfEveryKindPrintAsGoPrintsThem() throws Exception {
    Random r = new Random(7);
    StringBuilder text = new StringBuilder();
    long t = START_MILLIS;
    for (int i = 0; i < 4000; i++) {
      double v = OpenMetricsText.anyDouble(r);
      t += 1000;
      text.append("v ").append(OpenMetricsText.valueText(v, r)).append(' ').append(t / 1000);
      text.append('\n');
    }
    // Halfway cases and the ends of the range.
    for (String s :
        new String[] {
          "1125899906842624.25",
          "1125899906842624.75",
          "2.4703282292062328e-324",
          "4.9406564584124654e-324",
          "1.7976931348623157e308",
          "0." + "0".repeat(10004) + "1e100000",
          "9007199254740993",
          "0.1e-320",
          "123456789012345678901234567890"
        }) {
      t += 1000;
      text.append("v ").append(s).append(' ').append(t / 1000).append('\n');
    }
    text.append("# EOF\n");
    assertSameSamples(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void timestampsWithFractionsConvertAsPromtoolDoes() throws Exception {
    Random r = new Random(11);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      // Each sample its own series: any truncation shows up as a different timestamp.
      double seconds = 1_700_000_000 + r.nextInt(200_000) + r.nextInt(1_000_000) / 1e6;
      String ts =
          switch (r.nextInt(4)) {
            case 0 -> GoFloatFormat.format(seconds);
            case 1 -> String.format(java.util.Locale.ROOT, "%.3f", seconds);
            case 2 -> String.format(java.util.Locale.ROOT, "%.9e", seconds);
            default -> (long) seconds + "." + String.format("%03d", r.nextInt(1000));
          };
      text.append("t{i=\"").append(i).append("\"} 1 ").append(ts).append('\n');
    }
    text.append("# EOF\n");
    assertSameSamples(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void oddButValidInputsAreReadTheSame() throws Exception {
    for (String text : OddInputs.VALID) {
      assertSameSamples(text.getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void malformedInputsAreRejectedByBoth() throws Exception {
    List<String> problems = new ArrayList<>();
    for (String text : OddInputs.INVALID) {
      byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
      Path out = Files.createTempDirectory(dir, "blocks");
      Path in = dir.resolve("in.om");
      Files.write(in, bytes);
      Promtool.Result promtool =
          Promtool.run(
              dir, "tsdb", "create-blocks-from", "openmetrics", in.toString(), out.toString());
      OpenMetricsParseException ours = null;
      try (OpenMetricsInput input = OpenMetricsInput.of(bytes)) {
        input.timeRange();
      } catch (OpenMetricsParseException e) {
        ours = e;
      }
      if (promtool.exitCode() == 0) {
        problems.add("promtool accepted " + GoQuoted.of(text));
      }
      if (ours == null) {
        problems.add(
            "Strata accepted " + GoQuoted.of(text) + "; promtool: " + promtool.stderr().strip());
      } else {
        assertTrue(ours.line() >= 1, ours.getMessage());
        assertTrue(ours.getMessage().startsWith("line " + ours.line()), ours.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  // ---- helpers ----

  private void assertSameSamples(byte[] input) throws IOException, InterruptedException {
    List<String> ours = ourSamples(input);
    List<String> theirs = promtoolSamples(input);
    assertNotEquals(0, theirs.size(), "promtool wrote no samples");
    if (!ours.equals(theirs)) {
      for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
        assertEquals(theirs.get(i), ours.get(i), "sample " + i + " of the dump");
      }
      assertEquals(theirs.size(), ours.size(), "number of samples");
    }
  }

  // Our parse of the input as promtool dump would print it: series in label order, then time.
  private static List<String> ourSamples(byte[] input) throws IOException {
    record Sample(Labels labels, long t, double v) {}
    List<Sample> samples = new ArrayList<>();
    try (OpenMetricsInput in = OpenMetricsInput.of(input)) {
      OpenMetricsParser p = in.parser();
      OpenMetricsParser.Entry e;
      while ((e = p.next()) != OpenMetricsParser.Entry.EOF) {
        if (e == OpenMetricsParser.Entry.SAMPLE) {
          samples.add(new Sample(p.labels(), p.timestamp(), p.value()));
        }
      }
    }
    samples.sort(Comparator.comparing(Sample::labels).thenComparingLong(Sample::t));
    List<String> out = new ArrayList<>();
    for (Sample s : samples) {
      out.add(s.labels() + " " + GoFloatFormat.format(s.v()) + " " + s.t());
    }
    return out;
  }

  private List<String> promtoolSamples(byte[] input) throws IOException, InterruptedException {
    Path out = Files.createTempDirectory(dir, "blocks");
    Path in = dir.resolve("in.om");
    Files.write(in, input);
    Promtool.run(dir, "tsdb", "create-blocks-from", "openmetrics", in.toString(), out.toString())
        .assertSuccess();
    Files.createDirectories(out.resolve("wal"));
    String dump = Promtool.run(dir, "tsdb", "dump", out.toString()).assertSuccess().stdout();
    return dump.isEmpty() ? List.of() : List.of(dump.split("\n"));
  }

  private static Labels randomSeries(Random r, int i) {
    Map<String, String> m = new LinkedHashMap<>();
    String name = OpenMetricsText.metricName(r) + (i % 3 == 0 ? "_total" : "");
    m.put(Labels.METRIC_NAME, name);
    m.put("series", Integer.toString(i)); // distinct even if the random parts collide
    for (int n = r.nextInt(4); n > 0; n--) {
      String label = OpenMetricsText.labelName(r);
      if (!m.containsKey(label)) {
        m.put(label, OpenMetricsText.labelValue(r));
      }
    }
    return Labels.fromMap(m);
  }

  private static String secondsText(long millis, Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> millis / 1000 + "." + String.format("%03d", millis % 1000);
      case 1 -> GoFloatFormat.format(millis / 1000.0);
      case 2 -> Double.toString(millis / 1000.0);
      default -> new java.math.BigDecimal(millis).movePointLeft(3).toString();
    };
  }

  /** Quotes test inputs for failure messages. */
  private static final class GoQuoted {
    static String of(String latin1) {
      return dev.strata.tsdb.labels.GoQuote.quote(latin1);
    }
  }
}
