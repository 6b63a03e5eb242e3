package dev.strata.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@code rate} and {@code increase} against a direct transcription of the extrapolation rule
 * Prometheus 2.42 documents, on random counters with resets and irregular scrapes.
 */
class RatePropertiesTest {
  private final Engine engine = new Engine();

  /**
   * A scrape: milliseconds since the previous one, and the counter's growth (negative: reset to
   * that many).
   */
  record Step(long gapMs, double growth) {}

  @Provide
  Arbitrary<List<Step>> counters() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.longs().between(1_000, 60_000),
                Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(8, Arbitraries.doubles().between(0, 100).ofScale(2)),
                    net.jqwik.api.Tuple.of(
                        1, Arbitraries.doubles().between(-50, -0.01).ofScale(2))))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 300)
  void rateAndIncreaseFollowTheExtrapolationRule(
      @ForAll("counters") List<Step> steps,
      @ForAll @IntRange(min = 10, max = 600) int rangeSeconds,
      @ForAll @IntRange(min = 0, max = 2_000) int evalSeconds) {
    List<long[]> ts = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    InMemoryQueryable store = new InMemoryQueryable();
    Labels labels = Labels.of("__name__", "c");
    long t = 0;
    double v = 5;
    for (Step s : steps) {
      t += s.gapMs();
      v = s.growth() >= 0 ? v + s.growth() : -s.growth();
      store.add(labels, t, v);
      ts.add(new long[] {t});
      vs.add(v);
    }
    long rangeMs = rangeSeconds * 1000L;
    long evalMs = evalSeconds * 1000L;
    Double expectedIncrease = naive(ts, vs, evalMs - rangeMs, evalMs);
    Vector increase =
        (Vector) engine.instantQuery(store, "increase(c[" + rangeSeconds + "s])", evalMs).value();
    Vector rate =
        (Vector) engine.instantQuery(store, "rate(c[" + rangeSeconds + "s])", evalMs).value();
    if (expectedIncrease == null) {
      assertEquals(0, increase.size());
      assertEquals(0, rate.size());
      return;
    }
    double inc = increase.samples().get(0).value();
    double r = rate.samples().get(0).value();
    assertTrue(
        Math.abs(inc - expectedIncrease) <= 1e-9 * Math.max(1, Math.abs(expectedIncrease)),
        "increase: expected " + expectedIncrease + " got " + inc);
    double expectedRate = expectedIncrease / rangeSeconds;
    assertTrue(
        Math.abs(r - expectedRate) <= 1e-9 * Math.max(1, Math.abs(expectedRate)),
        "rate: expected " + expectedRate + " got " + r);
    assertTrue(increase.samples().get(0).labels().isEmpty(), "the metric name is dropped");
  }

  /** The rule as the specification states it; null when fewer than two samples are in range. */
  private static Double naive(List<long[]> ts, List<Double> vs, long start, long end) {
    List<Long> wt = new ArrayList<>();
    List<Double> wv = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      long t = ts.get(i)[0];
      if (t >= start && t <= end) {
        wt.add(t);
        wv.add(vs.get(i));
      }
    }
    int n = wt.size();
    if (n < 2) {
      return null;
    }
    double result = wv.get(n - 1) - wv.get(0);
    for (int i = 1; i < n; i++) {
      if (wv.get(i) < wv.get(i - 1)) {
        result += wv.get(i - 1);
      }
    }
    double toStart = (wt.get(0) - start) / 1000.0;
    double toEnd = (end - wt.get(n - 1)) / 1000.0;
    double sampled = (wt.get(n - 1) - wt.get(0)) / 1000.0;
    double avg = sampled / (n - 1);
    if (result > 0 && wv.get(0) >= 0) {
      toStart = Math.min(toStart, sampled * wv.get(0) / result);
    }
    double extended = sampled;
    extended += toStart < 1.1 * avg ? toStart : avg / 2;
    extended += toEnd < 1.1 * avg ? toEnd : avg / 2;
    return result * extended / sampled;
  }
}
