package dev.strata.tsdb.storage;

import dev.strata.tsdb.labels.LabelMatcher;
import java.util.List;

/**
 * A read view of the database over a time range, consistent for its whole life: it sees the
 * commits completed before it was opened, and the blocks that existed then, whatever happens
 * meanwhile. Close it promptly: an open querier keeps the data it may read from being dropped.
 * Not thread-safe.
 */
public interface Querier extends AutoCloseable {

  /** Minimum timestamp of the range, inclusive. */
  long minTime();

  /** Maximum timestamp of the range, inclusive. */
  long maxTime();

  /**
   * The series matching all {@code matchers}, sorted by labels, with their samples in the range.
   * A matcher accepting the empty value also selects series without the label (Prometheus
   * semantics). At least one matcher should reject the empty value, or every series is returned.
   */
  SeriesSet select(LabelMatcher... matchers);

  /** Label names of the series matching {@code matchers} (all series if none), sorted. */
  List<String> labelNames(LabelMatcher... matchers);

  /** Values of label {@code name} among series matching {@code matchers}, sorted. */
  List<String> labelValues(String name, LabelMatcher... matchers);

  /**
   * What the calls so far left out or want the caller to know, oldest first: a querier over remote
   * stores that accepts a partial answer names here each store it had to leave out. Read it before
   * {@link #close()}. None by default.
   */
  default List<String> warnings() {
    return List.of();
  }

  @Override
  void close();
}
