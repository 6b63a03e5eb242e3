package dev.strata.tsdb.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.storage.ArraySamples;
import dev.strata.tsdb.storage.SampleIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The production iterators against {@link PenaltyModel} on random replicas: scrapes at one of a few
 * intervals, aligned across replicas or shifted, with random gaps, so that the replicas overlap,
 * tie, and leave gaps of every size.
 */
class PenaltyPropertiesTest {

  /** Timestamps of one replica: {@code k * step + shift} for a random set of k. */
  @Provide
  Arbitrary<long[]> timestamps() {
    return Arbitraries.of(1L, 100L, 1_000L, 5_000L, 15_000L)
        .flatMap(
            step ->
                Combinators.combine(
                        Arbitraries.oneOf(
                            Arbitraries.just(0L), Arbitraries.longs().between(0, step - 1)),
                        Arbitraries.integers().between(0, 150).set().ofMaxSize(90))
                    .as(
                        (shift, ks) ->
                            ks.stream().sorted().mapToLong(k -> k * step + shift).toArray()));
  }

  /** Reads: -1 is a {@code next}, anything else a seek to it. */
  @Provide
  Arbitrary<List<Long>> reads() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 4), Arbitraries.longs().between(0, 2_300_000))
        .as((kind, t) -> kind == 0 ? t : -1L)
        .list()
        .ofMaxSize(200);
  }

  // Values that name the replica and the sample.
  private static List<Sample> replica(int r, long[] ts) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < ts.length; i++) {
      out.add(new Sample(ts[i], r * 1_000 + i));
    }
    return out;
  }

  private static List<Sample> read(SampleIterator it, List<Long> ops) {
    List<Sample> results = new ArrayList<>();
    for (long op : ops) {
      boolean ok = op == -1 ? it.next() : it.seek(op);
      results.add(ok ? new Sample(it.t(), it.v()) : null);
    }
    return results;
  }

  private static SampleIterator production(List<List<Sample>> replicas, boolean counters) {
    List<SampleIterator> its = new ArrayList<>();
    for (List<Sample> r : replicas) {
      its.add(Sample.iterator(r));
    }
    return DedupSeriesSet.deduplicate(its, counters);
  }

  @Property(tries = 500)
  void twoReplicasReadAsTheModel(
      @ForAll("timestamps") long[] a,
      @ForAll("timestamps") long[] b,
      @ForAll("reads") List<Long> ops) {
    List<List<Sample>> replicas = List.of(replica(1, a), replica(2, b));
    List<Sample> expected = PenaltyModel.dedup(replicas);
    assertEquals(expected, Sample.drain(production(replicas, false)));
    assertEquals(PenaltyModel.read(expected, ops), read(production(replicas, false), ops));
  }

  @Property(tries = 500)
  void threeReplicasReadAsTheModel(
      @ForAll("timestamps") long[] a,
      @ForAll("timestamps") long[] b,
      @ForAll("timestamps") long[] c,
      @ForAll("reads") List<Long> ops) {
    List<List<Sample>> replicas = List.of(replica(1, a), replica(2, b), replica(3, c));
    List<Sample> expected = PenaltyModel.dedup(replicas);
    assertEquals(expected, Sample.drain(production(replicas, false)));
    assertEquals(PenaltyModel.read(expected, ops), read(production(replicas, false), ops));
  }

  @Property(tries = 300)
  void replicasHeldInArraysReadAsTheModel(
      @ForAll("timestamps") long[] a,
      @ForAll("timestamps") long[] b,
      @ForAll("timestamps") long[] c,
      @ForAll("reads") List<Long> ops) {
    // The arrays DedupSeriesSet reads replicas from seek by halving: same output.
    List<List<Sample>> replicas = List.of(replica(1, a), replica(2, b), replica(3, c));
    List<SampleIterator> its = new ArrayList<>();
    for (List<Sample> r : replicas) {
      its.add(arrays(r));
    }
    List<Sample> expected = PenaltyModel.dedup(replicas);
    assertEquals(
        PenaltyModel.read(expected, ops), read(DedupSeriesSet.deduplicate(its, false), ops));
    assertEquals(PenaltyModel.read(replicas.get(0), ops), read(arrays(replicas.get(0)), ops));
  }

  private static SampleIterator arrays(List<Sample> samples) {
    long[] ts = new long[samples.size() + 3];
    double[] vs = new double[samples.size() + 3];
    for (int i = 0; i < samples.size(); i++) {
      ts[i] = samples.get(i).t();
      vs[i] = samples.get(i).v();
    }
    return new ArraySamples(ts, vs, samples.size()); // spare room past n must not be read
  }

  @Property(tries = 500)
  void twoCounterReplicasAdjustAsTheModel(
      @ForAll("timestamps") long[] a,
      @ForAll("timestamps") long[] b,
      @ForAll("reads") List<Long> ops,
      @ForAll @Size(max = 20) List<@LongRange(min = 0, max = 2_300_000) Long> resets) {
    // Counters with real resets too: the adjustment is checked value for value.
    List<Sample> ra = counter(a, 0, 0.5, resets);
    List<Sample> rb = counter(b, 300, 0.7, List.of());
    List<Sample> expected = PenaltyModel.counterPair(ra, rb);
    List<List<Sample>> replicas = List.of(ra, rb);
    assertEquals(expected, Sample.drain(production(replicas, true)));
    assertEquals(PenaltyModel.read(expected, ops), read(production(replicas, true), ops));
  }

  // A counter at `ts`: `base + rate * t`, dropping to 0 at each reset time.
  private static List<Sample> counter(long[] ts, double base, double rate, List<Long> resets) {
    List<Sample> out = new ArrayList<>();
    double v = base;
    long prev = ts.length > 0 ? ts[0] : 0;
    for (long t : ts) {
      final long from = prev;
      boolean reset = resets.stream().anyMatch(r -> r > from && r <= t);
      v = reset ? 0 : v + rate * (t - prev);
      out.add(new Sample(t, v));
      prev = t;
    }
    return out;
  }

  @Property(tries = 500)
  void aCounterSplitAcrossReplicasStaysMonotonic(
      @ForAll("timestamps") long[] a,
      @ForAll("timestamps") long[] b,
      @ForAll("timestamps") long[] c,
      @ForAll @Size(max = 3) List<@IntRange(min = 0, max = 1_000_000) Integer> offsets,
      @ForAll @Size(max = 30) List<@LongRange(min = 0, max = 2_300_000) Long> bumpTimes,
      @ForAll @IntRange(min = 0, max = 50) int perMs) {
    // One counter, increasing at a rate with occasional jumps, scraped by each replica from its own
    // start: replica r sees it less a constant offset (it began counting later), never a reset.
    // Values are whole numbers, so that the adjustment's sums are exact and monotonic means
    // monotonic, not monotonic to within a rounding.
    TreeMap<Long, Integer> bumps = new TreeMap<>();
    for (long t : bumpTimes) {
      bumps.merge(t, 1, Integer::sum);
    }
    long[][] ts = {a, b, c};
    List<List<Sample>> replicas = new ArrayList<>();
    for (int r = 0; r < ts.length; r++) {
      long offset = r < offsets.size() ? offsets.get(r) : 0;
      List<Sample> samples = new ArrayList<>();
      for (long t : ts[r]) {
        int jumps = bumps.headMap(t, true).values().stream().mapToInt(Integer::intValue).sum();
        samples.add(new Sample(t, 1_000_000 + perMs * t + 1_000L * jumps - offset));
      }
      replicas.add(samples);
    }
    for (int n = 2; n <= 3; n++) {
      List<List<Sample>> used = replicas.subList(0, n);
      List<Sample> out = Sample.drain(production(used, true));
      for (int i = 1; i < out.size(); i++) {
        assertTrue(out.get(i).v() >= out.get(i - 1).v(), () -> "decreases: " + used + " -> " + out);
      }
      // The adjustment changes values only, never which samples are taken.
      List<Sample> plain = PenaltyModel.dedup(used);
      assertEquals(plain.size(), out.size());
      for (int i = 0; i < out.size(); i++) {
        assertEquals(plain.get(i).t(), out.get(i).t());
      }
    }
  }
}
