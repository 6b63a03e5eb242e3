package dev.strata.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Aggregations by label against a naive model computed straight from the definitions. */
class AggregationPropertiesTest {
  private static final long T = 60_000;
  private final Engine engine = new Engine();

  @Provide
  Arbitrary<List<Double>> values() {
    return Arbitraries.doubles().between(-1e6, 1e6).ofScale(3).list().ofMinSize(1).ofMaxSize(30);
  }

  /** Series i is {@code m{job="j<i % jobs>", inst="<i>"}}. */
  private static InMemoryQueryable store(List<Double> values, int jobs) {
    InMemoryQueryable q = new InMemoryQueryable();
    for (int i = 0; i < values.size(); i++) {
      q.add(
          Labels.of("__name__", "m", "job", "j" + (i % jobs), "inst", String.valueOf(i)),
          T,
          values.get(i));
    }
    return q;
  }

  private static Map<String, List<Double>> byJob(List<Double> values, int jobs) {
    Map<String, List<Double>> groups = new TreeMap<>();
    for (int i = 0; i < values.size(); i++) {
      groups.computeIfAbsent("j" + (i % jobs), k -> new ArrayList<>()).add(values.get(i));
    }
    return groups;
  }

  private Map<String, Double> query(InMemoryQueryable store, String q) {
    Vector v = (Vector) engine.instantQuery(store, q, T).value();
    Map<String, Double> out = new HashMap<>();
    for (Sample s : v.samples()) {
      assertEquals(1, s.labels().size(), "only the grouping label remains: " + s.labels());
      out.put(s.labels().get("job"), s.value());
    }
    return out;
  }

  private static void assertClose(double expected, double actual, String what) {
    double tolerance = 1e-9 * Math.max(1, Math.abs(expected));
    assertTrue(
        Math.abs(expected - actual) <= tolerance,
        what + ": expected " + expected + " got " + actual);
  }

  @Property(tries = 200)
  void simpleAggregationsMatchTheModel(
      @ForAll("values") List<Double> values, @ForAll @IntRange(min = 1, max = 4) int jobs) {
    InMemoryQueryable store = store(values, jobs);
    Map<String, List<Double>> groups = byJob(values, jobs);
    Map<String, Double> sum = query(store, "sum by (job) (m)");
    Map<String, Double> avg = query(store, "avg by (job) (m)");
    Map<String, Double> min = query(store, "min by (job) (m)");
    Map<String, Double> max = query(store, "max by (job) (m)");
    Map<String, Double> count = query(store, "count by (job) (m)");
    Map<String, Double> stddev = query(store, "stddev by (job) (m)");
    Map<String, Double> stdvar = query(store, "stdvar without (inst) (m)");
    Map<String, Double> median = query(store, "quantile by (job) (0.5, m)");
    assertEquals(groups.keySet(), sum.keySet());
    for (Map.Entry<String, List<Double>> g : groups.entrySet()) {
      String job = g.getKey();
      double[] v = g.getValue().stream().mapToDouble(Double::doubleValue).toArray();
      double total = 0;
      for (double x : v) {
        total += x;
      }
      double mean = total / v.length;
      double squares = 0;
      for (double x : v) {
        squares += (x - mean) * (x - mean);
      }
      double[] sorted = v.clone();
      Arrays.sort(sorted);
      double rank = 0.5 * (v.length - 1);
      int lo = (int) Math.floor(rank);
      int hi = Math.min(v.length - 1, lo + 1);
      double q = sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
      assertClose(total, sum.get(job), "sum " + job);
      assertClose(mean, avg.get(job), "avg " + job);
      assertEquals(sorted[0], min.get(job), "min " + job);
      assertEquals(sorted[v.length - 1], max.get(job), "max " + job);
      assertEquals(v.length, count.get(job), "count " + job);
      assertTrue(
          Math.abs(Math.sqrt(squares / v.length) - stddev.get(job))
              <= 1e-6 * Math.max(1, Math.sqrt(squares / v.length)),
          "stddev " + job);
      assertTrue(
          Math.abs(squares / v.length - stdvar.get(job)) <= 1e-6 * Math.max(1, squares / v.length),
          "stdvar " + job);
      assertClose(q, median.get(job), "quantile " + job);
    }
  }

  @Property(tries = 200)
  void topkKeepsTheLargestPerGroupInOrder(
      @ForAll("values") List<Double> values,
      @ForAll @IntRange(min = 1, max = 4) int jobs,
      @ForAll @IntRange(min = 1, max = 40) int k) {
    InMemoryQueryable store = store(values, jobs);
    Vector v = (Vector) engine.instantQuery(store, "topk by (job) (" + k + ", m)", T).value();
    Map<String, List<Double>> got = new TreeMap<>();
    for (Sample s : v.samples()) {
      assertEquals("m", s.labels().get("__name__"), "topk keeps the series' labels");
      got.computeIfAbsent(s.labels().get("job"), j -> new ArrayList<>()).add(s.value());
    }
    for (Map.Entry<String, List<Double>> g : byJob(values, jobs).entrySet()) {
      List<Double> expected = new ArrayList<>(g.getValue());
      expected.sort((a, b) -> Double.compare(b, a));
      assertEquals(
          expected.subList(0, Math.min(k, expected.size())),
          got.get(g.getKey()),
          "topk of " + g.getKey());
    }
  }
}
