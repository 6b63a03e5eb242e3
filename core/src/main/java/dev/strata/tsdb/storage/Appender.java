package dev.strata.tsdb.storage;

import dev.strata.tsdb.labels.Labels;

/**
 * Buffers samples and makes them durable and visible together on {@link #commit()}.
 *
 * <p>An appender is for one thread; use one appender per thread to append concurrently. Samples
 * of one series must come in increasing time order, within a batch and across batches; a sample
 * that breaks the order, or repeats a timestamp with a different value, is refused with a {@link
 * SampleRejectedException} when it is appended (and the batch stays usable). A sample that
 * repeats the last timestamp and value exactly is accepted and ignored.
 */
public interface Appender {

  /**
   * Adds a sample to the series with these labels, creating the series if needed.
   *
   * @return a reference for {@link #append(long, long, double)}, valid while the series exists
   * @throws SampleRejectedException if the sample is out of order or a conflicting duplicate
   * @throws dev.strata.tsdb.labels.InvalidLabelsException if the labels are not valid
   */
  long append(Labels labels, long t, double v);

  /**
   * Adds a sample to the series with this reference: the fast path for repeated appends.
   *
   * @throws UnknownSeriesException if no series has this reference (any more); append by labels
   * @throws SampleRejectedException if the sample is out of order or a conflicting duplicate
   */
  long append(long ref, long t, double v);

  /**
   * Writes the buffered samples to the write-ahead log and makes them visible to queries, all at
   * once. Returns when the samples are as durable as the sync policy promises.
   *
   * @throws SampleRejectedException if another appender's commit made a sample of this batch out
   *     of order meanwhile; nothing of the batch is kept
   */
  void commit();

  /** Discards the buffered samples. */
  void rollback();
}
