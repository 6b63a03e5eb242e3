package dev.strata.tsdb.storage;

import dev.strata.tsdb.labels.LabelMatcher;
import java.util.List;
import java.util.function.Consumer;

/**
 * A block on disk, or a view of the head, as queries and compaction read it: series in label order
 * with their chunks. Obtained already acquired; {@link #close()} releases it. Not thread-safe.
 */
public interface BlockReader extends AutoCloseable {

  /** Earliest timestamp the reader may hold (inclusive). */
  long minTime();

  /** End of the reader's time range (exclusive), as in a block's meta.json. */
  long maxTime();

  /**
   * Series matching all {@code matchers} (every series when there are none) that have chunks
   * overlapping {@code [mint, maxt]}, in label order.
   */
  ChunkSeriesCursor select(long mint, long maxt, LabelMatcher... matchers);

  /** Every label name and value of the reader's series, sorted, without duplicates. */
  void forEachSymbol(Consumer<String> consumer);

  /** Label names of series matching {@code matchers} (all series if none), sorted. */
  List<String> labelNames(LabelMatcher... matchers);

  /** Values of {@code name} among series matching {@code matchers} (all if none), sorted. */
  List<String> labelValues(String name, LabelMatcher... matchers);

  @Override
  void close();
}
