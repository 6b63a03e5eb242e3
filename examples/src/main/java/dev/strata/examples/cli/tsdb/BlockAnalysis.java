package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.chunks.ChunkCursor;
import dev.strata.tsdb.gocompat.GoSort;
import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.IndexReader;
import dev.strata.tsdb.index.LabelStats;
import dev.strata.tsdb.index.Postings;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of {@code promtool tsdb analyze} for one block: the same sections, figures and
 * arithmetic (unsigned 64-bit sums, churn as a float ratio truncated to an integer).
 *
 * <p>Rankings ordered by count alone leave ties to the sort. Where promtool's entries come in a
 * fixed order (label names, metric names), they are sorted with Go's own algorithm ({@link
 * GoSort}), so ties come out exactly as promtool prints them. Where promtool's entries come
 * from iterating a Go map (the churn and label pair sections), its tie order changes from run to
 * run; here ties are listed by key, so the output is stable.
 */
final class BlockAnalysis {
  private static final int MAX_SAMPLES_PER_CHUNK = 120;
  private static final int BUCKETS = 10;

  private final Block block;
  private final IndexReader index;
  private final PrintWriter out;
  private final int limit;

  /** Per label pair {@code name=value}: {uncovered time, series}. */
  private final Map<String, long[]> pairs = new HashMap<>();

  /** Per label name: uncovered time. */
  private final Map<String, long[]> names = new HashMap<>();

  private long entries;
  private final int[] fullness = new int[BUCKETS];
  private long totalChunks;

  private BlockAnalysis(Block block, PrintWriter out, int limit) {
    this.block = block;
    this.index = block.index();
    this.out = out;
    this.limit = limit;
  }

  /** Prints the report on {@code block}, which must be acquired. */
  static void print(Block block, PrintWriter out, int limit, boolean extended) {
    new BlockAnalysis(block, out, limit).run(extended);
  }

  private void run(boolean extended) {
    BlockMeta meta = block.meta();
    long span = meta.maxTime() - meta.minTime();
    out.printf("Block ID: %s%n", meta.ulid());
    out.printf("Duration: %s%n", GoDuration.format(span * GoDuration.MILLISECOND));
    out.printf("Series: %s%n", Long.toUnsignedString(meta.stats().numSeries()));
    List<String> labelNames = index.labelNames();
    out.printf("Label names: %d%n", labelNames.size());

    scanSeries(span, extended);
    out.printf("Postings (unique label pairs): %d%n", pairs.size());
    out.printf("Postings entries (total label pairs): %d%n", entries);

    List<Entry> churnPairs = new ArrayList<>();
    pairs.forEach((k, v) -> churnPairs.add(new Entry(k, churn(v[0], span))));
    section("Label pairs most involved in churning", byCountThenKey(churnPairs));

    List<Entry> churnNames = new ArrayList<>();
    names.forEach((k, v) -> churnNames.add(new Entry(k, churn(v[0], span))));
    section("Label names most involved in churning", byCountThenKey(churnNames));

    List<Entry> common = new ArrayList<>();
    pairs.forEach((k, v) -> common.add(new Entry(k, v[1])));
    section("Most common label pairs", byCountThenKey(common));

    List<Entry> valueLengths = new ArrayList<>();
    for (String name : labelNames) {
      long length = 0;
      for (String v : index.labelValues(name)) {
        length += v.getBytes(StandardCharsets.UTF_8).length;
      }
      valueLengths.add(new Entry(name, length));
    }
    section("Label names with highest cumulative label value length", asGoSorts(valueLengths));

    List<Entry> cardinality = new ArrayList<>();
    for (LabelStats s : index.labelStats()) {
      cardinality.add(new Entry(s.name(), s.values()));
    }
    section("Highest cardinality labels", asGoSorts(cardinality));

    List<Entry> metricNames = new ArrayList<>();
    index.forEachPostingsList((name, value, series, bytes) -> {
      if (name.equals(Labels.METRIC_NAME)) {
        metricNames.add(new Entry(value, series));
      }
    });
    section("Highest cardinality metric names", asGoSorts(metricNames));

    if (extended) {
      printFullness();
    }
    out.flush();
  }

  // One pass over every series: label pairs, the time each series leaves uncovered, chunk sizes.
  private void scanSeries(long span, boolean extended) {
    ChunkMetas chunks = new ChunkMetas();
    ChunkCursor cursor = extended ? block.chunks().cursor() : null;
    Postings all = index.allPostings();
    while (all.next()) {
      Labels labels = index.series(all.at(), chunks.clear());
      long covered = chunks.isEmpty() ? 0
          : chunks.maxTime(chunks.size() - 1) - chunks.minTime(0);
      long uncovered = span - covered; // unsigned 64-bit arithmetic, as promtool's
      for (int i = 0; i < labels.size(); i++) {
        String name = labels.name(i);
        long[] pair = pairs.computeIfAbsent(name + "=" + labels.value(i), k -> new long[2]);
        pair[0] += uncovered;
        pair[1]++;
        names.computeIfAbsent(name, k -> new long[1])[0] += uncovered;
        entries++;
      }
      if (extended) {
        for (int i = 0; i < chunks.size(); i++) {
          cursor.seek(chunks.ref(i));
          int samples = cursor.dataLength() < 2 ? 0
              : (cursor.source().readUnsignedByte(cursor.dataPosition()) << 8)
                  | cursor.source().readUnsignedByte(cursor.dataPosition() + 1);
          double size = Math.min(samples, MAX_SAMPLES_PER_CHUNK);
          int bucket = (int) Math.ceil(BUCKETS * size / MAX_SAMPLES_PER_CHUNK) - 1;
          fullness[Math.max(bucket, 0)]++;
          totalChunks++;
        }
      }
    }
  }

  /** Go's {@code uint64(float64(sum) / float64(span))} for an unsigned sum. */
  private static long churn(long uncoveredSum, long span) {
    double sum = uncoveredSum >= 0 ? uncoveredSum
        : ((uncoveredSum >>> 1) | (uncoveredSum & 1)) * 2.0;
    double ratio = sum / span;
    if (ratio >= 0x1p63) {
      return (long) (ratio - 0x1p63) ^ Long.MIN_VALUE;
    }
    return (long) ratio;
  }

  private record Entry(String key, long count) {}

  private static List<Entry> byCountThenKey(List<Entry> entries) {
    entries.sort((a, b) -> {
      int c = Long.compareUnsigned(b.count(), a.count());
      return c != 0 ? c : Utf8Order.compare(a.key(), b.key());
    });
    return entries;
  }

  // Sorted by descending count the way Go's sort.Slice leaves entries given in this order.
  private static List<Entry> asGoSorts(List<Entry> entries) {
    Entry[] a = entries.toArray(new Entry[0]);
    GoSort.sort(
        new GoSort.Data() {
          @Override
          public boolean less(int i, int j) {
            return Long.compareUnsigned(a[i].count(), a[j].count()) > 0;
          }

          @Override
          public void swap(int i, int j) {
            Entry t = a[i];
            a[i] = a[j];
            a[j] = t;
          }
        },
        a.length);
    return List.of(a);
  }

  private void section(String title, List<Entry> entries) {
    out.printf("%n%s:%n", title);
    for (int i = 0; i < entries.size() && i < limit; i++) {
      out.printf("%s %s%n", Long.toUnsignedString(entries.get(i).count()), entries.get(i).key());
    }
  }

  private void printFullness() {
    out.printf("%nCompaction analysis:%n");
    out.println("Fullness: Amount of samples in chunks (100% is 120 samples)");
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      long percentage = totalChunks == 0 ? 0 : 100L * fullness[bucket] / totalChunks;
      out.printf("%7d%%: %s%n", (bucket + 1) * 10, "#".repeat((int) percentage));
    }
  }
}
