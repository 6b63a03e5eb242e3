package dev.strata.tsdb.storage;

import dev.strata.tsdb.labels.Labels;

/** One series of a {@link SeriesSet}: its labels, and its data by sample or by chunk. */
public interface Series {
  Labels labels();

  /** The samples in the querier's range, in time order, without duplicates or deleted samples. */
  SampleIterator samples();

  /**
   * The chunks holding the series' samples in the querier's range, in time order. Chunks of
   * different blocks may overlap in time when blocks overlap; deleted samples are still in the
   * chunks (use {@link #samples()} to have deletions applied).
   */
  ChunkIterator chunks();
}
