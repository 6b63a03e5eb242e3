package dev.strata.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.promql.QueryException.ErrorType;
import dev.strata.tsdb.labels.Labels;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Sample limit, timeout, queueing and the errors a caller can make. */
class EngineLimitsTest {
  private static InMemoryQueryable tenSeries() {
    InMemoryQueryable q = new InMemoryQueryable();
    for (int i = 0; i < 10; i++) {
      for (int t = 0; t <= 600; t += 10) {
        q.add(Labels.of("__name__", "m", "i", String.valueOf(i)), t * 1000L, t);
      }
    }
    return q;
  }

  @Test
  void tooManySamplesIsAnExecutionError() {
    Engine engine = new Engine(EngineOptions.builder().maxSamples(9).build());
    QueryException e =
        assertThrows(QueryException.class, () -> engine.instantQuery(tenSeries(), "m", 600_000));
    assertEquals(ErrorType.EXECUTION, e.type());
    assertEquals(
        "query processing would load too many samples into memory in query execution",
        e.getMessage());
    // Ten series at one step fit in ten samples.
    Engine enough = new Engine(EngineOptions.builder().maxSamples(10).build());
    assertEquals(10, ((Vector) enough.instantQuery(tenSeries(), "m", 600_000).value()).size());
  }

  @Test
  void rangeFunctionWindowsCountAgainstTheLimit() {
    Engine engine = new Engine(EngineOptions.builder().maxSamples(20).build());
    // Each window holds 31 samples.
    assertThrows(
        QueryException.class, () -> engine.instantQuery(tenSeries(), "rate(m[5m])", 600_000));
    Engine enough = new Engine(EngineOptions.builder().maxSamples(41).build());
    assertEquals(
        10, ((Vector) enough.instantQuery(tenSeries(), "rate(m[5m])", 600_000).value()).size());
  }

  @Test
  void slowQueriesTimeOut() {
    Engine engine = new Engine(EngineOptions.builder().timeout(Duration.ofMillis(20)).build());
    InMemoryQueryable data = tenSeries();
    Queryable slow =
        (mint, maxt) -> {
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return data.querier(mint, maxt);
        };
    QueryException e =
        assertThrows(QueryException.class, () -> engine.instantQuery(slow, "sum(m)", 600_000));
    assertEquals(ErrorType.TIMEOUT, e.type());
    assertEquals("query timed out in expression evaluation", e.getMessage());
  }

  @Test
  void queriesBeyondTheConcurrencyLimitWaitAndMayTimeOut() throws Exception {
    Engine engine =
        new Engine(
            EngineOptions.builder().maxConcurrency(1).timeout(Duration.ofMillis(300)).build());
    InMemoryQueryable data = tenSeries();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Queryable blocking =
        (mint, maxt) -> {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return data.querier(mint, maxt);
        };
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<QueryResult> first = pool.submit(() -> engine.instantQuery(blocking, "m", 600_000));
      entered.await();
      QueryException e =
          assertThrows(QueryException.class, () -> engine.instantQuery(data, "m", 600_000));
      assertEquals("query timed out in query queue", e.getMessage());
      release.countDown();
      try {
        first.get(); // it outlived its own timeout while blocked: either outcome frees the slot
      } catch (java.util.concurrent.ExecutionException ignored) {
        // timed out
      }
      assertEquals(10, ((Vector) engine.instantQuery(data, "m", 600_000).value()).size());
    } finally {
      release.countDown();
      pool.shutdown();
    }
  }

  @Test
  void badRequestsAreBadData() {
    Engine engine = new Engine();
    InMemoryQueryable data = tenSeries();
    QueryException parse =
        assertThrows(QueryException.class, () -> engine.instantQuery(data, "sum(", 0));
    assertEquals(ErrorType.BAD_DATA, parse.type());
    QueryException type =
        assertThrows(QueryException.class, () -> engine.rangeQuery(data, "m[5m]", 0, 60_000, 1000));
    assertEquals(
        "invalid expression type \"range vector\" for range query, must be Scalar or instant"
            + " Vector",
        type.getMessage());
    QueryException string =
        assertThrows(QueryException.class, () -> engine.rangeQuery(data, "\"a\"", 0, 60_000, 1000));
    assertEquals(
        "invalid expression type \"string\" for range query, must be Scalar or instant Vector",
        string.getMessage());
    assertEquals(
        ErrorType.BAD_DATA,
        assertThrows(QueryException.class, () -> engine.rangeQuery(data, "m", 10, 0, 1000)).type());
    assertEquals(
        ErrorType.BAD_DATA,
        assertThrows(QueryException.class, () -> engine.rangeQuery(data, "m", 0, 10, 0)).type());
  }

  @Test
  void deeplyNestedQueriesEvaluate() {
    int depth = 20_000;
    String query = "m" + " + 1".repeat(depth);
    Vector v =
        (Vector) new Engine().instantQuery(tenSeries(), "sum(" + query + ")", 600_000).value();
    assertEquals(10 * (600 + depth), v.samples().get(0).value());
  }

  @Test
  void statsCountSeriesAndSamples() {
    QueryResult r =
        new Engine().rangeQuery(tenSeries(), "sum(rate(m[1m]))", 60_000, 600_000, 60_000);
    assertEquals(10, r.stats().series());
    assertTrue(r.stats().samples() >= 10 * 55, "samples decoded: " + r.stats());
    assertEquals(10, ((Matrix) r.value()).series().get(0).size());
  }
}
