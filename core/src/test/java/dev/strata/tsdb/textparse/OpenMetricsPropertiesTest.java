package dev.strata.tsdb.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tsdb.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Documents written from random label sets (unicode, escapes, NULs), values of every kind and
 * timestamps with fractions parse back to what was written, whichever way the bytes are fed.
 */
class OpenMetricsPropertiesTest {

  @Property(tries = 300)
  void writtenDocumentsParseBack(@ForAll long seed) {
    Random r = new Random(seed);
    List<Labels> series = new ArrayList<>();
    for (int n = 1 + r.nextInt(5); n > 0; n--) {
      series.add(randomSeries(r));
    }
    StringBuilder text = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int n = r.nextInt(30); n > 0; n--) {
      Labels l = series.get(r.nextInt(series.size()));
      if (r.nextInt(8) == 0) {
        String help = OpenMetricsText.labelValue(r).replace("\u0000", "");
        text.append("# HELP ").append(l.metricName()).append(' ');
        OpenMetricsText.appendEscaped(text, help).append('\n');
        expected.add("HELP " + l.metricName() + " " + help);
      }
      if (r.nextInt(8) == 0) {
        MetricType t = MetricType.values()[r.nextInt(MetricType.values().length)];
        text.append("# TYPE ").append(l.metricName()).append(' ').append(t.text()).append('\n');
        expected.add("TYPE " + l.metricName() + " " + t.text());
      }
      double v = OpenMetricsText.anyDouble(r);
      OpenMetricsText.appendSeries(text, l).append(' ').append(OpenMetricsText.valueText(v, r));
      String sample = l + " " + GoFloatFormat.format(v);
      if (r.nextInt(4) != 0) {
        String ts = timestampText(r);
        text.append(' ').append(ts);
        sample += " @" + (long) (Double.parseDouble(ts) * 1000.0);
      }
      if (l.metricName().endsWith("_total") && r.nextBoolean()) {
        String traceId = OpenMetricsText.labelValue(r).replace("\u0000", "");
        Labels ex = Labels.of("trace_id", traceId);
        text.append(" # {trace_id=\"");
        OpenMetricsText.appendEscaped(text, traceId).append("\"}");
        text.append(" 0.5\n");
        sample += " # " + ex + " 0.5";
      } else {
        text.append('\n');
      }
      expected.add(sample);
    }
    text.append("# EOF\n");
    expected.add("EOF");
    assertEquals(
        String.join("\n", expected), String.join("\n", Parsed.parse(text.toString()).ok()));
  }

  @Property(tries = 200)
  void nanKeepsGoBitsAndValuesKeepTheirs(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    double v = OpenMetricsText.anyDouble(r);
    String text = "m " + OpenMetricsText.valueText(v, r) + " 1\n# EOF\n";
    OpenMetricsParser p = OpenMetricsInput.of(text.getBytes(StandardCharsets.UTF_8)).parser();
    p.next();
    long expected = Double.isNaN(v) ? 0x7ff8000000000001L : Double.doubleToRawLongBits(v);
    assertEquals(expected, Double.doubleToRawLongBits(p.value()), text);
  }

  private static Labels randomSeries(Random r) {
    Map<String, String> m = new LinkedHashMap<>();
    String name = OpenMetricsText.metricName(r);
    if (r.nextInt(3) == 0) {
      name += "_total";
    }
    m.put(Labels.METRIC_NAME, name);
    for (int n = r.nextInt(5); n > 0; n--) {
      String label = OpenMetricsText.labelName(r);
      if (!label.equals(Labels.METRIC_NAME)) {
        m.put(label, OpenMetricsText.labelValue(r));
      }
    }
    return Labels.fromMap(m);
  }

  // Seconds with or without a fraction, in the forms people write.
  static String timestampText(Random r) {
    long millis = r.nextLong() % 4_000_000_000_000L;
    return switch (r.nextInt(5)) {
      case 0 -> Long.toString(millis / 1000);
      case 1 -> millis / 1000 + "." + String.format("%03d", Math.abs(millis % 1000));
      case 2 -> Double.toString(millis / 1000.0);
      case 3 -> (r.nextInt(2_000_000_000) + "." + r.nextInt(1_000_000_000));
      default -> GoFloatFormat.format(r.nextDouble() * 2e9);
    };
  }
}
