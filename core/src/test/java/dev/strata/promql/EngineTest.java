package dev.strata.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strata.promql.parser.AggregateExpr;
import dev.strata.promql.parser.AggregateOp;
import dev.strata.promql.parser.AtModifier;
import dev.strata.promql.parser.BinaryExpr;
import dev.strata.promql.parser.BinaryOp;
import dev.strata.promql.parser.Call;
import dev.strata.promql.parser.Expr;
import dev.strata.promql.parser.Functions;
import dev.strata.promql.parser.MatrixSelector;
import dev.strata.promql.parser.NumberLiteral;
import dev.strata.promql.parser.PositionRange;
import dev.strata.promql.parser.SubqueryExpr;
import dev.strata.promql.parser.VectorSelector;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine over trees built by hand, against a real database. */
class EngineTest {
  @TempDir Path dir;
  private Tsdb tsdb;
  private final Engine engine = new Engine();

  @BeforeEach
  void load() throws IOException {
    tsdb = Tsdb.open(dir, TsdbOptions.defaults());
    Appender app = tsdb.appender();
    // http_requests{path="/foo"} 0+10x10 every 5m; {path="/bar"} goes stale at 25m.
    for (int i = 0; i <= 10; i++) {
      app.append(Labels.of("__name__", "http_requests", "path", "/foo"), i * 300_000L, i * 10.0);
    }
    for (int i = 0; i <= 4; i++) {
      app.append(Labels.of("__name__", "http_requests", "path", "/bar"), i * 300_000L, i * 1.0);
    }
    app.append(
        Labels.of("__name__", "http_requests", "path", "/bar"), 5 * 300_000L, StaleMarker.VALUE);
    app.commit();
  }

  @AfterEach
  void close() throws IOException {
    tsdb.close();
  }

  private static VectorSelector sel(String name) {
    return new VectorSelector(
        name,
        List.of(LabelMatcher.equal("__name__", name)),
        0,
        AtModifier.NONE,
        PositionRange.NONE);
  }

  private static Call call(String fn, Expr... args) {
    return new Call(Functions.get(fn), List.of(args), PositionRange.NONE);
  }

  private static MatrixSelector range(String name, long ms) {
    return new MatrixSelector(sel(name), ms, PositionRange.NONE);
  }

  @Test
  void instantSelectorHonoursLookbackAndStaleness() {
    Vector v = (Vector) engine.instantQuery(tsdb::querier, sel("http_requests"), 1_500_000).value();
    assertEquals(1, v.size(), v.toString());
    assertEquals(50.0, v.samples().get(0).value());
    Vector before =
        (Vector) engine.instantQuery(tsdb::querier, sel("http_requests"), 1_499_999).value();
    assertEquals(2, before.size());
  }

  @Test
  void aQueryMayWidenTheLookback() {
    // /foo's last sample is at 50m; the engine's 5m lookback sees it until 55m.
    QueryOptions wide = new QueryOptions(java.time.Duration.ofMinutes(20));
    long at = 3_000_000 + 15 * 60_000;
    assertEquals(0,
        ((Vector) engine.instantQuery(tsdb::querier, sel("http_requests"), at).value()).size());
    Vector v =
        (Vector) engine.instantQuery(tsdb::querier, sel("http_requests"), at, wide).value();
    assertEquals(1, v.size(), v.toString());
    assertEquals(100.0, v.samples().get(0).value());
    Matrix m =
        (Matrix) engine.rangeQuery(tsdb::querier, sel("http_requests"), at, at + 300_000, 300_000,
            wide).value();
    assertEquals(1, m.series().size(), m.toString());
    assertEquals(2, m.series().get(0).timestamps().length, m.toString());
    // The engine's own setting is untouched.
    assertEquals(java.time.Duration.ofMinutes(5), engine.options().lookbackDelta());
    assertThrows(IllegalArgumentException.class, () -> new QueryOptions(java.time.Duration.ZERO));
  }

  @Test
  void rateExtrapolates() {
    Vector v =
        (Vector)
            engine
                .instantQuery(
                    tsdb::querier, call("rate", range("http_requests", 3_000_000)), 3_000_000)
                .value();
    assertEquals(2, v.size(), v.toString());
    // /bar starts at the window start (no extension there) and ends 30m early: half an interval.
    assertEquals(Labels.of("path", "/bar"), v.samples().get(0).labels());
    assertEquals(4.0 * (1350.0 / 1200) / 3000, v.samples().get(0).value(), 1e-12);
    assertEquals(Labels.of("path", "/foo"), v.samples().get(1).labels());
    assertEquals(100.0 / 3000, v.samples().get(1).value(), 1e-12);
  }

  @Test
  void rangeQueryMatchesInstantQueries() {
    Expr e =
        new AggregateExpr(
            AggregateOp.SUM,
            call("increase", range("http_requests", 600_000)),
            null,
            List.of(),
            false,
            PositionRange.NONE);
    Matrix m = (Matrix) engine.rangeQuery(tsdb::querier, e, 0, 3_000_000, 60_000).value();
    Matrix.Series s = m.series().get(0);
    for (int i = 0; i < s.size(); i++) {
      Vector v = (Vector) engine.instantQuery(tsdb::querier, e, s.timestamps()[i]).value();
      assertEquals(v.samples().get(0).value(), s.values()[i], 1e-9);
    }
  }

  @Test
  void subqueryAndAtModifier() {
    Expr sq =
        new SubqueryExpr(
            sel("http_requests"), 600_000, 300_000, 0, AtModifier.NONE, PositionRange.NONE);
    Vector v =
        (Vector) engine.instantQuery(tsdb::querier, call("sum_over_time", sq), 3_000_000).value();
    assertEquals(90 + 100 + 80.0, v.samples().get(0).value());
    VectorSelector at =
        new VectorSelector(
            "http_requests",
            List.of(LabelMatcher.equal("__name__", "http_requests")),
            0,
            AtModifier.at(600_000),
            PositionRange.NONE);
    Vector pinned = (Vector) engine.instantQuery(tsdb::querier, at, 3_000_000).value();
    assertEquals(2, pinned.size());
  }

  @Test
  void matchingErrors() {
    Expr e =
        new BinaryExpr(
            BinaryOp.ADD,
            sel("http_requests"),
            new NumberLiteral(1, PositionRange.NONE),
            null,
            false,
            PositionRange.NONE);
    Vector v = (Vector) engine.instantQuery(tsdb::querier, e, 600_000).value();
    assertEquals(2, v.size());
    Appender app = tsdb.appender();
    app.append(Labels.of("__name__", "http_other", "path", "/foo"), 600_000, 1);
    app.commit();
    QueryException ex =
        assertThrows(
            QueryException.class,
            () ->
                engine.instantQuery(
                    tsdb::querier,
                    call(
                        "ceil",
                        new VectorSelector(
                            null,
                            List.of(LabelMatcher.regex("__name__", "http_.*")),
                            0,
                            AtModifier.NONE,
                            PositionRange.NONE)),
                    600_000));
    assertEquals("vector cannot contain metrics with the same labelset", ex.getMessage());
    assertEquals(QueryException.ErrorType.EXECUTION, ex.type());
  }

  @Test
  void labelFunctionsMayWriteAnyValueEvenAMetricNameStorageWouldRefuse() {
    Vector v =
        (Vector)
            engine
                .instantQuery(
                    tsdb::querier,
                    "label_replace(http_requests{path=\"/foo\"}, \"__name__\", \"not-a-metric $1\","
                        + " \"path\", \"/(.*)\")",
                    600_000)
                .value();
    assertEquals("not-a-metric foo", v.samples().get(0).labels().get("__name__"));
    Vector counted =
        (Vector)
            engine
                .instantQuery(tsdb::querier, "count_values(\"__name__\", http_requests)", 600_000)
                .value();
    assertEquals(2, counted.size(), counted.toString());
  }
}
