package dev.strata.tier.storeapi;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;

/**
 * A querier that can also hand its series over as chunk bytes in place, without a {@link
 * dev.strata.tsdb.storage.Series} or chunk iterator per chunk: a sidecar reading Prometheus's
 * remote read frames passes the bytes of each frame on. When the only piece of a source's only
 * part is such a querier, the server writes the {@code Series} answer straight from what it is
 * handed (same frames, same order, same failures as through {@link #select}).
 */
public interface RawChunkQuerier extends Querier {

  /**
   * Hands the series matching {@code matchers} to {@code sink}, in the order {@link #select}
   * would give them, a series possibly in several parts in a row. Fails as {@link #select} and
   * iterating its series would; what was handed over before a failure stays handed over.
   */
  void readChunks(RawChunkSink sink, LabelMatcher... matchers);

  /** Receives series as their labels and chunk bytes. */
  interface RawChunkSink {

    /**
     * Starts the next series, or continues the current one when {@code labels} equal its labels.
     *
     * @param labels the labels as stored (without the source's external labels), sorted
     */
    void series(Labels labels);

    /**
     * A chunk of the current series, in time order. {@code data[offset, offset + length)} is
     * referred to, not copied: the caller never writes to it again.
     *
     * @param encoding Prometheus's chunk encoding byte
     * @throws IllegalArgumentException for an encoding the StoreAPI cannot carry
     */
    void chunk(long minTime, long maxTime, byte encoding, byte[] data, int offset, int length);
  }
}
