package dev.strata.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.promql.parser.VectorMatching.Cardinality;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.MatchType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shapes of parsed trees, their printed forms, and error details beyond the message. */
class PromqlParserTest {
  private static final PositionRange NONE = PositionRange.NONE;

  private static Expr parse(String query) {
    return Positions.strip(PromqlParser.parse(query));
  }

  private static VectorSelector selector(String name, LabelMatcher... others) {
    List<LabelMatcher> matchers = new java.util.ArrayList<>(List.of(others));
    matchers.add(LabelMatcher.equal("__name__", name));
    return new VectorSelector(name, matchers, 0, AtModifier.NONE, NONE);
  }

  private static NumberLiteral number(double v) {
    return new NumberLiteral(v, NONE);
  }

  private static final VectorMatching ONE_TO_ONE =
      new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());

  @Test
  void unaryMinusOnANumberIsFoldedIntoIt() {
    assertEquals(number(-7), parse("-7"));
    assertEquals(number(7), parse("- - 7"));
    assertEquals(number(-2), ((BinaryExpr) parse("-2 * 3")).lhs());
    assertEquals(new UnaryExpr(true, new ParenExpr(number(1), NONE), NONE), parse("-(1)"));
  }

  @Test
  void unaryMinusBindsLessTightlyThanPower() {
    Expr expected =
        new UnaryExpr(true, new BinaryExpr(BinaryOp.POW, number(1), number(2), null, false, NONE), NONE);
    assertEquals(expected, parse("-1 ^ 2"));
  }

  @Test
  void powerIsRightAssociativeAndTheRestLeftAssociative() {
    BinaryExpr pow = (BinaryExpr) parse("2 ^ 3 ^ 2");
    assertEquals(number(2), pow.lhs());
    assertInstanceOf(BinaryExpr.class, pow.rhs());
    BinaryExpr sub = (BinaryExpr) parse("1 - 2 - 3");
    assertInstanceOf(BinaryExpr.class, sub.lhs());
    assertEquals(number(3), sub.rhs());
  }

  @Test
  void precedenceFollowsPrometheus() {
    BinaryExpr or = (BinaryExpr) parse("a or b and c unless d");
    assertEquals(BinaryOp.OR, or.op());
    BinaryExpr unless = (BinaryExpr) or.rhs();
    assertEquals(BinaryOp.UNLESS, unless.op());
    assertEquals(BinaryOp.AND, ((BinaryExpr) unless.lhs()).op());
    BinaryExpr plus = (BinaryExpr) parse("a + b * c == d");
    assertEquals(BinaryOp.EQL, plus.op());
    assertEquals(BinaryOp.ADD, ((BinaryExpr) plus.lhs()).op());
  }

  @Test
  void selectorsKeepTheNameMatcherLast() {
    assertEquals(
        List.of(LabelMatcher.of(MatchType.REGEX, "a", "b.*"), LabelMatcher.equal("__name__", "foo")),
        ((VectorSelector) PromqlParser.parse("foo{a=~\"b.*\"}")).matchers());
    VectorSelector nameInBraces = (VectorSelector) parse("{__name__=\"foo\"}");
    assertNull(nameInBraces.name());
    assertEquals(List.of(LabelMatcher.equal("__name__", "foo")), nameInBraces.matchers());
  }

  @Test
  void keywordsMayNameMetricsAndLabels() {
    assertEquals(selector("sum"), parse("sum"));
    assertEquals(selector("by"), ((BinaryExpr) parse("foo and by")).rhs());
    AggregateExpr a = (AggregateExpr) parse("sum by (on, bool, offset) (x)");
    assertEquals(List.of("on", "bool", "offset"), a.grouping());
  }

  @Test
  void offsetAndAtGoOnTheSelectorInsideARange() {
    MatrixSelector m = (MatrixSelector) parse("foo[5m] @ 10.5 offset -1m");
    assertEquals(300_000, m.rangeMs());
    assertEquals(-60_000, m.selector().offsetMs());
    assertEquals(AtModifier.at(10_500), m.selector().at());
    VectorSelector v = (VectorSelector) parse("foo offset 1h @ end()");
    assertEquals(3_600_000, v.offsetMs());
    assertEquals(AtModifier.END, v.at());
  }

  @Test
  void subqueriesKeepTheirOwnModifiers() {
    SubqueryExpr s = (SubqueryExpr) parse("rate(foo[1m])[1h:] @ start() offset 5m");
    assertEquals(3_600_000, s.rangeMs());
    assertEquals(0, s.stepMs());
    assertEquals(300_000, s.offsetMs());
    assertEquals(AtModifier.START, s.at());
    assertEquals(30_000, ((SubqueryExpr) parse("foo[5m:30s]")).stepMs());
  }

  @Test
  void aggregationsTakeTheirModifierOnEitherSide() {
    AggregateExpr before = (AggregateExpr) parse("topk by (a) (3, foo)");
    AggregateExpr after = (AggregateExpr) parse("topk(3, foo) by (a)");
    assertEquals(before, after);
    assertEquals(number(3), before.param());
    assertEquals(selector("foo"), before.expr());
    assertTrue(((AggregateExpr) parse("sum without () (x)")).without());
    assertEquals(
        new StringLiteral("v", NONE), ((AggregateExpr) parse("count_values('v', x)")).param());
  }

  @Test
  void vectorMatchingIsFinishedAsPrometheusDoes() {
    assertNull(((BinaryExpr) parse("foo + 1")).matching());
    assertEquals(ONE_TO_ONE, ((BinaryExpr) parse("foo + bar")).matching());
    assertEquals(
        new VectorMatching(Cardinality.MANY_TO_MANY, List.of("a"), false, List.of()),
        ((BinaryExpr) parse("foo and ignoring(a) bar")).matching());
    assertEquals(
        new VectorMatching(Cardinality.MANY_TO_ONE, List.of("a"), true, List.of("b", "c")),
        ((BinaryExpr) parse("foo * on(a) group_left(b, c) bar")).matching());
    assertEquals(
        new VectorMatching(Cardinality.ONE_TO_MANY, List.of("a"), true, List.of()),
        ((BinaryExpr) parse("foo * on(a) group_right bar")).matching());
    assertTrue(((BinaryExpr) parse("foo > bool 1")).returnBool());
  }

  @Test
  void callsAreResolvedAgainstTheFunctionTable() {
    Call c = (Call) parse("label_join(foo, \"d\", \",\", \"a\", \"b\")");
    assertEquals(Functions.get("label_join"), c.function());
    assertEquals(5, c.args().size());
    assertEquals(ValueType.SCALAR, parse("time()").type());
  }

  @Test
  void positionsAreCharOffsets() {
    BinaryExpr b = (BinaryExpr) PromqlParser.parse("sum(foo) + rate(bar[5m] offset 1m)");
    assertEquals(new PositionRange(0, 8), b.lhs().positionRange());
    assertEquals(new PositionRange(11, 34), b.rhs().positionRange());
    Call rate = (Call) b.rhs();
    assertEquals(new PositionRange(16, 33), rate.args().get(0).positionRange());
    assertEquals(new PositionRange(0, 34), b.positionRange());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          sum(rate(x[5m] offset 1m)) by (job)   | sum by (job) (rate(x[5m] offset 1m))
          foo{b="1", a="2"}                      | foo{a="2",b="1"}
          foo offset 90m                         | foo offset 1h30m
          foo offset -1w                         | foo offset -1w
          foo[2d] @ 10                           | foo[2d] @ 10.000
          foo @ -1.5 offset 365d                 | foo @ -1.500 offset 1y
          foo offset 5m @ start()                | foo @ start() offset 5m
          x[5m:] @ end()                         | x[5m:] @ end()
          x[60s:1500ms]                          | x[1m:1s500ms]
          1e6 + 0x10 - .5                        | 1e+06 + 16 - 0.5
          -foo ^ 2                               | -foo ^ 2
          foo * ignoring() group_left(a) bar     | foo * bar
          foo + on() bar                         | foo + on () bar
          foo == bool on(a) group_right(b) bar   | foo == bool on (a) group_right (b) bar
          sum without () (x)                     | sum without () (x)
          sum by () (x)                          | sum(x)
          {__name__="foo"}                       | {__name__="foo"}
          SUM BY (a) (foo)                       | sum by (a) (foo)
          """)
  void printsAsPrometheus(String query, String printed) {
    assertEquals(printed, Printer.print(PromqlParser.parse(query)));
  }

  @Test
  void stringsPrintGoQuoted() {
    assertEquals("\"aéA\\n'\"", Printer.print(PromqlParser.parse("'a\\u00e9\\x41\\n\\''")));
    assertEquals("\"raw\\\\n\"", Printer.print(PromqlParser.parse("`raw\\n`")));
  }

  @Test
  void prettySplitsLongExpressions() {
    // As Prometheus 2.42's /api/v1/format_query formats it.
    String rated =
        "sum by (job) (rate(http_requests_total{job=\"api-server\",instance=\"a.example.com:9090\"}[5m]))";
    String query = rated + " / on (job) group_left () sum by (job) (up) + " + rated;
    String expected =
        """
                sum by (job) (rate(http_requests_total{instance="a.example.com:9090",job="api-server"}[5m]))
              / on (job) group_left ()
                sum by (job) (up)
            +
              sum by (job) (rate(http_requests_total{instance="a.example.com:9090",job="api-server"}[5m]))""";
    assertEquals(expected, Printer.pretty(PromqlParser.parse(query)));
  }

  @Test
  void errorColumnsCountUtf8BytesOnTheErrorsLine() {
    PromqlParseException e =
        assertThrows(PromqlParseException.class, () -> PromqlParser.parse("foo\n + \"é\" * * 2"));
    assertEquals("2:11: parse error: unexpected <op:*>", e.getMessage());
    assertEquals(new PositionRange(13, 14), e.positionRange());
  }

  @Test
  void everyErrorIsKeptAndTheFirstIsReported() {
    PromqlParseException e =
        assertThrows(PromqlParseException.class, () -> PromqlParser.parse("rate(foo) + \"x\""));
    assertEquals(
        "1:6: parse error: expected type range vector in call to function \"rate\", got instant"
            + " vector",
        e.getMessage());
    assertEquals(2, e.errors().size());
    assertEquals(
        "1:13: parse error: binary expression must contain only scalar and instant vector types",
        e.errors().get(1).format(e.query()));
  }

  @Test
  void deeplyNestedExpressionsParseAndPrint() {
    // Prometheus 2.42 reports the first empty selector of this one.
    String chained = "(" + "-{}-1".repeat(10_000) + ")" + "[1m:]".repeat(1000);
    assertEquals(
        "1:3: parse error: vector selector must contain at least one non-empty matcher",
        assertThrows(PromqlParseException.class, () -> PromqlParser.parse(chained)).getMessage());
    String nested = "(".repeat(5000) + "1" + ")".repeat(5000);
    assertEquals(nested, Printer.print(PromqlParser.parse(nested)));
    String sum = "1" + " + 1".repeat(50_000);
    assertEquals(sum, Printer.print(PromqlParser.parse(sum)));
  }

  // Checked against Prometheus 2.42's /api/v1/series?match[]=...
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          foo[5m]        | 1:4: parse error: unexpected "["
          foo bar        | 1:5: parse error: unexpected identifier "bar"
          ''             | 1:1: parse error: unexpected end of input
          rate(x)        | 1:5: parse error: unexpected "("
          foo{a=~"("}    | 1:5: parse error: error parsing regexp: missing closing ): `^(?:()$`
          foo offset 5m  | 1:5: parse error: unexpected <offset>
          {a="b"         | 1:7: parse error: unexpected end of input inside braces
          """)
  void metricSelectorErrors(String selector, String message) {
    PromqlParseException e =
        assertThrows(PromqlParseException.class, () -> PromqlParser.parseMetricSelector(selector));
    assertEquals(message, e.getMessage());
  }

  @Test
  void metricSelectors() {
    assertEquals(
        List.of(LabelMatcher.equal("job", "api"), LabelMatcher.equal("__name__", "up")),
        PromqlParser.parseMetricSelector("up{job=\"api\"}"));
    assertEquals(List.of(), PromqlParser.parseMetricSelector("{}"));
    assertEquals(
        List.of(LabelMatcher.equal("__name__", "sum")), PromqlParser.parseMetricSelector("sum"));
    assertEquals(
        List.of(LabelMatcher.equal("__name__", "bar"), LabelMatcher.equal("__name__", "foo")),
        PromqlParser.parseMetricSelector("foo{__name__=\"bar\"}"));
  }
}
