package dev.strata.tsdb.storage;

/** A series reference that does not (or no longer) name a series; append by labels instead. */
public class UnknownSeriesException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownSeriesException(long ref) {
    super("unknown series reference " + ref
        + ": the series may have been removed after compaction; append by labels");
  }
}
