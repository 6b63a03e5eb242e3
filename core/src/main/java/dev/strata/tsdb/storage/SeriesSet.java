package dev.strata.tsdb.storage;

/**
 * Series in label order. {@code while (set.next()) { Series s = set.at(); ... }}; the series is
 * valid until the next call to {@link #next()}.
 */
public interface SeriesSet {
  boolean next();

  Series at();
}
