package dev.strata.tsdb.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenMetricsParserTest {

  private static List<String> ok(String text) {
    return Parsed.parse(text).ok();
  }

  private static OpenMetricsParseException error(String text) {
    return Parsed.parse(text).failed();
  }

  private static void assertError(String text, long line, long column, String reasonPart) {
    // Characters up to U+00FF stand for single bytes, so that tests can write invalid UTF-8.
    boolean bytes = text.chars().anyMatch(ch -> ch >= 0x80 && ch <= 0xFF);
    OpenMetricsParseException e =
        bytes ? Parsed.parse(text.getBytes(StandardCharsets.ISO_8859_1)).failed() : error(text);
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertTrue(e.reason().contains(reasonPart), () -> e.getMessage() + " lacks " + reasonPart);
    assertTrue(e.getMessage().startsWith("line " + line), e.getMessage());
  }

  @Test
  void parsesEveryKindOfEntry() {
    String text =
        "# HELP http_requests Requests \\\\ served \\\"so far\\\" \\n"
            + " ok \\t\n"
            + "# TYPE http_requests counter\n"
            + "# UNIT http_requests_seconds seconds\n"
            + "http_requests_total{method=\"GET\",code=\"200\"} 1027 1700000000\n"
            + "http_requests_total{method=\"POST\",code=\"500\"} 3 1700000000.5 # {trace=\"a\"} 1"
            + " 1700000000.25\n"
            + "up 1\n"
            + "empty{} 2 3\n"
            + "# EOF\n";
    assertEquals(
        List.of(
            "HELP http_requests Requests \\ served \"so far\" \n ok \\t",
            "TYPE http_requests counter",
            "UNIT http_requests_seconds seconds",
            "{__name__=\"http_requests_total\", code=\"200\", method=\"GET\"} 1027 @1700000000000",
            "{__name__=\"http_requests_total\", code=\"500\", method=\"POST\"} 3 @1700000000500"
                + " # {trace=\"a\"} 1 @1700000000250",
            "{__name__=\"up\"} 1",
            "{__name__=\"empty\"} 2 @3000",
            "EOF"),
        ok(text));
  }

  @Test
  void acceptsEveryMetricType() {
    for (MetricType t : MetricType.values()) {
      assertEquals(List.of("TYPE m " + t.text(), "EOF"), ok("# TYPE m " + t.text() + "\n# EOF\n"));
    }
    assertError("# TYPE m Counter\n# EOF\n", 1, 10, "unknown metric type \"Counter\"");
    assertError("# TYPE m untyped\n# EOF\n", 1, 10, "unknown metric type \"untyped\"");
    assertError("# TYPE m counter \n# EOF\n", 1, 10, "unknown metric type \"counter \"");
    assertError("# TYPE m  counter\n# EOF\n", 1, 10, "unknown metric type \" counter\"");
  }

  @Test
  void eofMayEndWithOneNewlineAndNothingElse() {
    assertEquals(List.of("EOF"), ok("# EOF"));
    assertEquals(List.of("EOF"), ok("# EOF\n"));
    assertError("# EOF\n\n", 2, 1, "unexpected data after \"# EOF\"");
    assertError("# EOF\nup 1\n", 2, 1, "unexpected data after");
    assertError("# EOF \n", 1, 6, "unexpected data after");
    assertError("# EOFx\n", 1, 6, "unexpected data after");
    assertError("# EOF\r\n", 1, 6, "unexpected data after");
    assertError("", 1, 1, "the input ends without \"# EOF\"");
    assertError("up 1 2\n", 2, 1, "the input ends without \"# EOF\"");
    assertError("up 1 2", 1, 7, "expected the end of the line after the timestamp");
    assertError("up 1", 1, 5, "expected a timestamp or the end of the line");
    assertError("# eof\n", 1, 3, "a comment must be");
  }

  @Test
  void rejectsOtherCommentsAndBlankLines() {
    assertError("# hello\n# EOF\n", 1, 3, "a comment must be \"# HELP\"");
    assertError("#hello\n# EOF\n", 1, 2, "expected a space after \"#\"");
    assertError("\n# EOF\n", 1, 1, "at the start of the line, got the end of the line");
    assertError(" up 1\n# EOF\n", 1, 1, "got a space");
    assertError("1up 1\n# EOF\n", 1, 1, "got '1'");
    assertError("# HELPING x\n# EOF\n", 1, 7, "expected a space after \"# HELP\"");
    assertError("# TYPO x\n# EOF\n", 1, 6, "expected \"TYPE\"");
  }

  @Test
  void metadataNeedsANameASpaceAndANewline() {
    assertEquals(List.of("HELP m ", "EOF"), ok("# HELP m \n# EOF\n"));
    assertEquals(List.of("UNIT m ", "EOF"), ok("# UNIT m \n# EOF\n"));
    assertError("# HELP m\n# EOF\n", 1, 9, "expected a space and the help text");
    assertError("# HELP 1m x\n# EOF\n", 1, 8, "expected a metric name after \"# HELP\"");
    assertError("# HELP m x", 1, 11, "the line ends without a newline");
    assertError("# HELP m x\u00ff\n# EOF\n", 1, 10, "not valid UTF-8");
    assertEquals(List.of("HELP a:b_c: x", "EOF"), ok("# HELP a:b_c: x\n# EOF\n"));
  }

  @Test
  void aUnitMustEndTheMetricName() {
    assertEquals(List.of("UNIT a_seconds seconds", "EOF"), ok("# UNIT a_seconds seconds\n# EOF\n"));
    assertError("# UNIT seconds seconds\n# EOF\n", 1, 16, "must end the metric name after a '_'");
    assertError("# UNIT aseconds seconds\n# EOF\n", 1, 17, "must end the metric name");
    assertError("# UNIT a_seconds bytes\n# EOF\n", 1, 18, "must end the metric name");
  }

  @Test
  void labelValuesUnescapeOnlyBackslashQuoteAndNewline() {
    assertEquals(
        "{__name__=\"m\", a=\"\\\\t\\n\\\"\\\\\", b=\"\\\\x\\\\\\n\"} 1",
        ok("m{a=\"\\t\\n\\\"\\\\\",b=\"\\x\\\\\\n\"} 1\n# EOF\n").get(0));
    assertEquals(
        "{__name__=\"m\", a=\"caf\u00e9 \ud83d\ude00 }{,=\"} 1",
        ok("m{a=\"caf\u00e9 \ud83d\ude00 }{,=\"} 1\n# EOF\n").get(0));
  }

  @Test
  void labelListGrammar() {
    assertError("m{a=\"1\",} 1\n# EOF\n", 1, 9, "expected a label name after \",\"");
    assertError("m{,a=\"1\"} 1\n# EOF\n", 1, 3, "expected a label name or \"}\"");
    assertError("m{a=\"1\" b=\"2\"} 1\n# EOF\n", 1, 8, "expected \",\" or \"}\"");
    assertError("m{a=\"1\"b=\"2\"} 1\n# EOF\n", 1, 8, "expected \",\" or \"}\"");
    assertError("m{a = \"1\"} 1\n# EOF\n", 1, 4, "expected \"=\" after the label name");
    assertError("m{a=1} 1\n# EOF\n", 1, 5, "expected a quoted label value");
    assertError("m{a='1'} 1\n# EOF\n", 1, 5, "expected a quoted label value");
    assertError("m{1a=\"1\"} 1\n# EOF\n", 1, 3, "expected a label name or \"}\"");
    assertError("m{a:b=\"1\"} 1\n# EOF\n", 1, 4, "expected \"=\"");
    assertError("m{a=\"1} 1\n# EOF\n", 1, 10, "has no closing quote");
    assertError("m{a=\"1\\\"} 1\n# EOF\n", 1, 12, "has no closing quote");
    assertError("m{a=\"1\"", 1, 8, "expected \",\" or \"}\"");
    assertError("m{a=\"\\\n\"} 1\n# EOF\n", 1, 7, "a backslash in a label value");
    assertError("m {a=\"1\"} 1\n# EOF\n", 1, 3, "invalid value \"{a=\\\"1\\\"}\"");
    assertError("m{a=\"\u00ff\"} 1\n# EOF\n", 1, 5, "label value is not valid UTF-8");
    assertError("m{a=\"\u00ed\u00a0\u0080\"} 1\n# EOF\n", 1, 5, "not valid UTF-8");
    assertError("m{a=\"\u00c0\u00af\"} 1\n# EOF\n", 1, 5, "not valid UTF-8");
    assertError("m{}{} 1\n# EOF\n", 1, 4, "expected a space and a value after the labels");
  }

  @Test
  void emptyValuesAreDroppedAndDuplicatesRejected() {
    assertEquals("{__name__=\"m\", b=\"2\"} 1", ok("m{a=\"\",b=\"2\"} 1\n# EOF\n").get(0));
    assertEquals("{__name__=\"m\", a=\"2\"} 1", ok("m{a=\"\",a=\"2\"} 1\n# EOF\n").get(0));
    assertEquals("{__name__=\"m\"} 1", ok("m{__name__=\"\"} 1\n# EOF\n").get(0));
    assertError("m{a=\"1\",a=\"2\"} 1\n# EOF\n", 1, 9, "label name \"a\" occurs more than once");
    assertError("m{__name__=\"n\"} 1\n# EOF\n", 1, 3, "the metric name already sets it");
  }

  @Test
  void nulBytesInLabelValuesAndHelpAreKeptAsPrometheusDoes() {
    // Prometheus's lexer skips NULs in these states, so they end up in the text; after a closing
    // quote they even shift the value by one byte.
    assertEquals("{__name__=\"m\", a=\"x\\x00y\"} 1", ok("m{a=\"x\0y\"} 1\n# EOF\n").get(0));
    assertEquals("{__name__=\"m\", a=\"x\\\"\"} 1", ok("m{a=\"x\"\0} 1\n# EOF\n").get(0));
    assertEquals("{__name__=\"m\", a=\"x\\\"\\x00\"} 1", ok("m{a=\"x\"\0\0} 1\n# EOF\n").get(0));
    assertEquals(
        "{__name__=\"m\", a=\"\\\\\\x00\\\"\"} 1", ok("m{a=\"\\\0\"\"} 1\n# EOF\n").get(0));
    assertEquals(List.of("HELP m x\n", "EOF"), ok("# HELP m x\n\0# EOF\n"));
    assertEquals(List.of("HELP m x", "EOF"), ok("# H\0ELP \0m x\n# EOF\n"));
    assertEquals(List.of("EOF"), ok("# E\0OF\n\0\0"));
    assertError("m{a=\0\"x\"} 1\n# EOF\n", 1, 5, "expected a quoted label value");
    assertError("m 1\0\n# EOF\n", 1, 4, "got a NUL byte");
    assertError("#\0 EOF\n", 1, 2, "expected a space after \"#\"");
    assertError("# \0EOF\n", 1, 3, "a comment must be");
  }

  @Test
  void valuesFollowGoParseFloat() {
    String[][] cases = {
      {"1", "1"},
      {"-1.5e3", "-1500"},
      {"+.5", "0.5"},
      {"5.", "5"},
      {"0x1", null},
      {"0x1p3", null},
      {"1_000", null},
      {"NaN", "NaN"},
      {"nan", "NaN"},
      {"+NaN", null},
      {"-nan", null},
      {"Inf", "+Inf"},
      {"+inf", "+Inf"},
      {"-Infinity", "-Inf"},
      {"infinit", null},
      {"1e400", null},
      {"-1e400", null},
      {"1e-400", "0"},
      {"-1e-400", "-0"},
      {"-0", "-0"},
      {"1e", null},
      {"1e+", null},
      {".", null},
      {"1.2.3", null},
      {"1d", null},
      {"abc", null},
      {"0.1", "0.1"},
    };
    for (String[] c : cases) {
      Parsed.Outcome o = Parsed.parse("m " + c[0] + " 1\n# EOF\n");
      if (c[1] == null) {
        assertTrue(o.failed().reason().startsWith("invalid value \""), c[0] + ": " + o);
        assertEquals(3, o.failed().column(), c[0]);
      } else {
        assertEquals("{__name__=\"m\"} " + c[1] + " @1000", o.ok().get(0), c[0]);
      }
    }
  }

  @Test
  void nanHasGoBits() throws Exception {
    OpenMetricsParser p = OpenMetricsInput.of("m NaN 1\n# EOF\n".getBytes()).parser();
    p.next();
    assertEquals(0x7ff8000000000001L, Double.doubleToRawLongBits(p.value()));
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1000",
    "1.001, 1000",
    "1.5, 1500",
    "-1.5, -1500",
    "-1.001, -1000",
    "1e3, 1000000",
    "0.0001, 0",
    "1700000000.123, 1700000000123",
    "1700000000.001, 1700000000001",
    "0.29, 290",
    "1.009, 1008",
    "9.2e15, 9200000000000000000",
    "9.3e15, -9223372036854775808",
    "-9.3e15, -9223372036854775808",
    "1e300, -9223372036854775808",
    "-0, 0"
  })
  void timestampsAreSecondsTimesThousandTruncated(String text, long millis) {
    assertEquals("{__name__=\"m\"} 1 @" + millis, ok("m 1 " + text + "\n# EOF\n").get(0));
  }

  @Test
  void timestampErrors() {
    assertError("m 1 NaN\n# EOF\n", 1, 5, "must be a finite number of seconds");
    assertError("m 1 -Inf\n# EOF\n", 1, 5, "must be a finite number");
    assertError("m 1 x\n# EOF\n", 1, 5, "invalid timestamp \"x\"");
    assertError("m 1 2 3\n# EOF\n", 1, 6, "expected the end of the line after the timestamp");
    assertError("m 1  2\n# EOF\n", 1, 5, "expected a timestamp or an exemplar, got a space");
    assertError("m 1 \n# EOF\n", 1, 5, "expected a timestamp or an exemplar");
    assertError("m 1 2 \n# EOF\n", 1, 6, "expected the end of the line");
    assertError("m 1 2\r\n# EOF\n", 1, 5, "invalid timestamp \"2\\r\"");
    assertError("m  1\n# EOF\n", 1, 3, "expected a value, got a space");
    assertError("m\n# EOF\n", 1, 2, "expected a space and a value after the metric name");
  }

  @Test
  void exemplars() {
    assertEquals("{__name__=\"a_total\"} 1 # {} 2", ok("a_total 1 # {} 2\n# EOF\n").get(0));
    assertEquals(
        "{__name__=\"a_bucket\", le=\"1\"} 1 @2000 # {id=\"x\\\"\"} NaN @3500",
        ok("a_bucket{le=\"1\"} 1 2 # {id=\"x\\\"\"} NaN 3.5\n# EOF\n").get(0));
    assertError("a 1 # {} 2\n# EOF\n", 1, 5, "cannot have an exemplar");
    assertError("a_count 1 2 # {} 2\n# EOF\n", 1, 13, "only names ending in _total or _bucket");
    assertError("a_total 1 # x\n# EOF\n", 1, 13, "expected \"{\" to start the exemplar");
    assertError("a_total 1 #x\n# EOF\n", 1, 11, "invalid timestamp \"#x\"");
    assertError("a_total 1 # {}\n# EOF\n", 1, 15, "expected a space and the exemplar's value");
    assertError("a_total 1 # {} x\n# EOF\n", 1, 16, "invalid exemplar value \"x\"");
    assertError("a_total 1 # {} 1 NaN\n# EOF\n", 1, 18, "invalid exemplar timestamp");
    assertError("a_total 1 # {} 1 2 3\n# EOF\n", 1, 19, "after the exemplar's timestamp");
    assertError("a_total 1 # {} 1 2", 1, 19, "after the exemplar's timestamp");
    assertError("a_total 1 # {} 1", 1, 17, "the input ends without \"# EOF\"");
    assertError("a_total 1 # {a=\"\0\"} 1\n# EOF\n", 1, 17, "no closing quote, got a NUL byte");
    assertError(
        "a_total 1 # {a=\"\u00ff\"} 1\n# EOF\n", 1, 16, "exemplar label value is not valid");
    assertError("a_total 1 # {a=\"1\",} 1\n# EOF\n", 1, 20, "expected a label name");
  }

  @Test
  void repeatedSeriesShareOneLabelSet() throws Exception {
    String text = "m{a=\"1\"} 1 1\nm{a=\"2\"} 1 1\nm{a=\"1\"} 2 2\n# EOF\n";
    OpenMetricsInput in = OpenMetricsInput.of(text.getBytes(StandardCharsets.UTF_8));
    OpenMetricsParser p = in.parser();
    p.next();
    Labels first = p.labels();
    p.next();
    p.next();
    assertSame(first, p.labels());
    OpenMetricsParser again = in.parser();
    again.next();
    assertSame(first, again.labels(), "later passes reuse the cache");
    assertEquals("m", again.metricName());
  }

  @Test
  void timeRangeIsPromtoolsFirstPass() throws Exception {
    TimeRange r =
        OpenMetricsInput.of("# TYPE m gauge\nm 1 5\nn 1 -2.5\nm 1 3\n# EOF\n".getBytes())
            .timeRange();
    assertEquals(new TimeRange(-2500, 5000, 3, 5), r);
    assertEquals(new TimeRange(0, 0, 0, 1), OpenMetricsInput.of("# EOF\n".getBytes()).timeRange());
    assertEquals(
        new TimeRange(Long.MIN_VALUE, 0, 1, 2),
        OpenMetricsInput.of("m 1 1e300\n# EOF\n".getBytes()).timeRange());
    OpenMetricsParseException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            OpenMetricsParseException.class,
            () -> OpenMetricsInput.of("m 1 5\nm{a=\"b\"} 1\n# EOF\n".getBytes()).timeRange());
    assertEquals(2, e.line());
    assertTrue(
        e.getMessage().contains("{__name__=\"m\", a=\"b\"} has no timestamp"), e.getMessage());
  }

  @Test
  void linesLongerThanTheWindowGrowIt() {
    StringBuilder sb = new StringBuilder("m{a=\"");
    sb.append("x".repeat(5000)).append("\"} 1 2\n# HELP m ").append("y".repeat(3000));
    sb.append("\n# EOF\n");
    List<String> entries = Parsed.parse(sb.toString()).ok();
    assertEquals(3, entries.size());
  }
}
