package dev.strata.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.labels.Labels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A range query must give, at each of its steps, what an instant query at that time gives: the
 * moving windows of the all-steps evaluation against fresh single-step evaluations, over random
 * irregular series with gaps and staleness markers.
 */
class StepConsistencyPropertiesTest {
  private static final List<String> QUERIES =
      List.of(
          "g",
          "g offset 2m",
          "c @ 600",
          "rate(c[3m])",
          "increase(c[5m] offset 1m)",
          "irate(c[2m])",
          "delta(g[4m])",
          "deriv(g[5m])",
          "avg_over_time(g[2m])",
          "max_over_time(g[1m:20s])",
          "sum by (k) (g)",
          "count(g > 0)",
          "topk(2, g)",
          "quantile(0.3, g)",
          "g + on(k) group_left sum by (k) (c)",
          "g and c",
          "g or c",
          "g unless c",
          "absent(nope)",
          "absent_over_time(g[1m])",
          "changes(g[5m])",
          "resets(c[5m])",
          "histogram_quantile(0.5, sum by (le) (rate(c[5m])))",
          "timestamp(g)",
          "last_over_time(g[3m])",
          "count_values(\"v\", round(g))",
          "scalar(sum(g)) + 1",
          "sum_over_time(rate(c[2m])[5m:1m])",
          "predict_linear(g[5m], 60)",
          "holt_winters(g[5m], 0.5, 0.5)",
          "label_replace(g, \"x\", \"$1\", \"k\", \"(.)\")");

  @Provide
  Arbitrary<Integer> seeds() {
    return Arbitraries.integers();
  }

  private static InMemoryQueryable data(int seed) {
    java.util.Random r = new java.util.Random(seed);
    InMemoryQueryable q = new InMemoryQueryable();
    String[] les = {"0.1", "1", "+Inf"};
    for (int s = 0; s < 4; s++) {
      String k = "k" + (s % 2);
      long t = r.nextInt(30_000);
      double gauge = r.nextInt(100) - 50;
      double counter = r.nextInt(10);
      while (t < 1_800_000) {
        boolean stale = r.nextInt(40) == 0;
        gauge += r.nextInt(21) - 10;
        counter = r.nextInt(50) == 0 ? 0 : counter + r.nextInt(7);
        q.add(
            Labels.of("__name__", "g", "k", k, "s", String.valueOf(s)),
            t,
            stale ? StaleMarker.VALUE : gauge);
        q.add(
            Labels.of("__name__", "c", "k", k, "s", String.valueOf(s), "le", les[s % 3]),
            t,
            counter);
        t += 5_000 + r.nextInt(r.nextInt(10) == 0 ? 400_000 : 40_000);
      }
    }
    return q;
  }

  @Property(tries = 25)
  void rangeStepsMatchInstantQueries(
      @ForAll("seeds") int seed,
      @ForAll @IntRange(min = 0, max = 600) int startSeconds,
      @ForAll @IntRange(min = 1, max = 120) int stepSeconds) {
    InMemoryQueryable data = data(seed);
    Engine engine = new Engine();
    long start = startSeconds * 1000L;
    long step = stepSeconds * 1000L;
    long end = start + 20 * step;
    for (String query : QUERIES) {
      Matrix m = (Matrix) engine.rangeQuery(data, query, start, end, step).value();
      Map<Long, Map<Labels, Double>> byTime = new HashMap<>();
      for (Matrix.Series s : m.series()) {
        for (int i = 0; i < s.size(); i++) {
          byTime
              .computeIfAbsent(s.timestamps()[i], t -> new HashMap<>())
              .put(s.labels(), s.values()[i]);
        }
      }
      for (long t = start; t <= end; t += step) {
        Value v = engine.instantQuery(data, query, t).value();
        Map<Labels, Double> expected = new HashMap<>();
        if (v instanceof Scalar s) {
          expected.put(Labels.EMPTY, s.value());
        } else {
          for (Sample s : ((Vector) v).samples()) {
            expected.put(s.labels(), s.value());
          }
        }
        Map<Labels, Double> actual = byTime.getOrDefault(t, Map.of());
        assertEquals(expected.keySet(), actual.keySet(), query + " at " + t);
        for (Map.Entry<Labels, Double> e : expected.entrySet()) {
          double a = actual.get(e.getKey());
          double x = e.getValue();
          assertTrue(
              Double.compare(a, x) == 0 || Math.abs(a - x) <= 1e-9 * Math.abs(x),
              query + " at " + t + " " + e.getKey() + ": instant " + x + ", range " + a);
        }
      }
    }
  }
}
