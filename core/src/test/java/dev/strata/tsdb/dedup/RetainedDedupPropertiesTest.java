package dev.strata.tsdb.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Deduplication reading replicas where they are ({@link DedupSeriesSet#overRetainedSeries}) gives
 * what deduplication over copies gives, on random label sets of one to three replicas, sent as
 * series of their own or merged into one series with their chunks side by side (as a store that
 * drops the replica labels sends them), cut to random ranges, with and without the counter
 * adjustment.
 */
class RetainedDedupPropertiesTest {

  @Property(tries = 400)
  void readingRetainedSeriesEqualsReadingCopies(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int labelSets,
      @ForAll boolean counters,
      @ForAll @LongRange(min = 0, max = 400_000) long from,
      @ForAll @LongRange(min = 0, max = 400_000) long span) {
    Random random = new Random(seed);
    List<Layout> layouts = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    for (int l = 0; l < labelSets; l++) {
      Layout layout = Layout.random(random, l, counters);
      layouts.add(layout);
      layout.replicas().forEach(r -> r.forEach(sample -> times.add(sample.t())));
    }
    // Ends on a sample's timestamp as often as not: what is cut there must be cut alike.
    long mint = times.isEmpty() || random.nextBoolean() ? from
        : times.get(random.nextInt(times.size()));
    long maxt = times.isEmpty() || random.nextBoolean() ? mint + span
        : Math.max(mint, times.get(random.nextInt(times.size())));
    List<Object> copied = read(new DedupSeriesSet(
        ChunkedSeries.set(build(layouts, mint, maxt)), mint, maxt, counters));
    List<Object> retained = read(DedupSeriesSet.overRetainedSeries(
        ChunkedSeries.retainedSet(build(layouts, mint, maxt)), mint, maxt, counters));
    assertEquals(copied, retained);
  }

  /** One label set's replicas and how a store sends them. */
  private record Layout(Labels labels, List<List<Sample>> replicas, List<Integer> chunkSizes,
      boolean merged) {

    static Layout random(Random random, int index, boolean counters) {
      int count = 1 + random.nextInt(3);
      long step = new long[] {1_000, 10_000, 15_000}[random.nextInt(3)];
      List<List<Sample>> replicas = new ArrayList<>();
      List<Integer> chunkSizes = new ArrayList<>();
      for (int r = 0; r < count; r++) {
        List<Sample> samples = new ArrayList<>();
        long shift = random.nextInt((int) step);
        double value = counters ? random.nextInt(100) : 0;
        for (long k = 0; k < 30; k++) {
          if (random.nextInt(4) == 0) {
            continue; // a gap
          }
          value = counters
              ? (random.nextInt(20) == 0 ? random.nextInt(5) : value + random.nextInt(10))
              : random.nextInt(1_000);
          samples.add(new Sample(k * step + shift, value));
        }
        replicas.add(samples);
        chunkSizes.add(1 + random.nextInt(8));
      }
      return new Layout(Labels.of("__name__", "m", "set", String.valueOf(index)), replicas,
          chunkSizes, random.nextBoolean());
    }
  }

  /** The series the layouts make, in label order, each cut to {@code [mint, maxt]}. */
  private static Series[] build(List<Layout> layouts, long mint, long maxt) {
    List<Series> out = new ArrayList<>();
    for (Layout layout : layouts) {
      List<List<Sample>> all = new ArrayList<>();
      for (int r = 0; r < layout.replicas().size(); r++) {
        List<List<Sample>> chunks =
            ChunkedSeries.cut(layout.replicas().get(r), layout.chunkSizes().get(r));
        if (layout.merged()) {
          all.addAll(chunks);
        } else {
          out.add(new ChunkedSeries(layout.labels(), mint, maxt, chunks));
        }
      }
      if (layout.merged()) {
        all.sort((x, y) -> Long.compare(x.get(0).t(), y.get(0).t()));
        out.add(new ChunkedSeries(layout.labels(), mint, maxt, all));
      }
    }
    return out.toArray(Series[]::new);
  }

  /** Labels and samples of every series of the set, the samples read twice. */
  private static List<Object> read(SeriesSet set) {
    List<Object> out = new ArrayList<>();
    while (set.next()) {
      out.add(set.at().labels());
      out.add(Sample.drain(set.at().samples()));
      out.add(Sample.drain(set.at().samples()));
    }
    return out;
  }
}
